// Fetches an attachment from the URL Discord put in the interaction: Discord's CDN only, size-checked first, streamed with a byte cap and a deadline.
import { BotError } from './errors.js';

/** The hosts Discord serves attachments from; nothing else is ever fetched over the internet. */
export const DISCORD_ATTACHMENT_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** The size Discord declared for the attachment; checked before any byte is fetched. */
  declaredSize?: number | null;
}

let testOrigins: readonly string[] = [];

/**
 * Test-only: also allow these exact origins (`http://127.0.0.1:1234`, the loopback Discord
 * emulator). No setting, environment variable or bot code calls this: tests do, in-process (the
 * emulator harness) or through a preload module given to `node --import` (test/bot/fixtures).
 */
export function allowTestAttachmentOrigins(origins: readonly string[]): void {
  testOrigins = [...origins];
}

function refuse(reason: string, message: string, url?: string): BotError {
  return new BotError('DOWNLOAD_FAILED', message, { reason, ...(url ? { host: safeHost(url) } : {}) });
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The URL if it may be fetched: https on a Discord attachment host (default port, no credentials), or a test origin. */
export function checkAttachmentUrl(raw: string, base?: URL): URL {
  let u: URL;
  try {
    u = new URL(raw, base);
  } catch {
    throw refuse('BAD_URL', 'the attachment URL is not a valid URL');
  }
  if (testOrigins.includes(u.origin)) return u;
  if (u.protocol !== 'https:') throw refuse('NOT_HTTPS', `refusing a ${u.protocol} URL: attachments are fetched over https only`, u.href);
  if (!DISCORD_ATTACHMENT_HOSTS.includes(u.hostname) || u.port !== '' || u.username || u.password) {
    throw refuse('NOT_DISCORD', `refusing ${u.host}: attachments are fetched from Discord's CDN only`, u.href);
  }
  return u;
}

/**
 * The attachment's bytes in a Uint8Array that owns its whole ArrayBuffer, so it can be transferred to a
 * worker. Throws BotError TOO_BIG, DOWNLOAD_TIMEOUT or DOWNLOAD_FAILED (details.reason says why a URL
 * was refused: BAD_URL, NOT_HTTPS, NOT_DISCORD, BAD_REDIRECT, TOO_MANY_REDIRECTS).
 */
export async function downloadAttachment(url: string, opts: DownloadOptions): Promise<Uint8Array> {
  if (opts.declaredSize != null && opts.declaredSize > opts.maxBytes) {
    throw new BotError('TOO_BIG', 'declared attachment size over the cap', { size: opts.declaredSize });
  }
  let u = checkAttachmentUrl(url);

  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    // Redirects are followed by hand, so every hop passes the same check as the first URL.
    let res = await fetch(u, { signal, redirect: 'manual' });
    for (let hops = 0; REDIRECTS.has(res.status); hops++) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw refuse('BAD_REDIRECT', `attachment download answered HTTP ${res.status} without a Location`);
      if (hops >= MAX_REDIRECTS) throw refuse('TOO_MANY_REDIRECTS', `attachment download redirected more than ${MAX_REDIRECTS} times`);
      u = checkAttachmentUrl(location, u);
      res = await fetch(u, { signal, redirect: 'manual' });
    }
    if (!res.ok || !res.body) throw new BotError('DOWNLOAD_FAILED', `attachment download answered HTTP ${res.status}`, { status: res.status });
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (length > opts.maxBytes) {
      await res.body.cancel();
      throw new BotError('TOO_BIG', 'content-length over the cap', { size: length });
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // The declared size can lie; never hold more than the cap in memory.
      if (total > opts.maxBytes) {
        await reader.cancel();
        // Only a lower bound: the rest was never fetched.
        throw new BotError('TOO_BIG', 'attachment bigger than the cap while streaming', { size: total, atLeast: true });
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return bytes;
  } catch (e) {
    if (e instanceof BotError) throw e;
    if (signal.aborted) throw new BotError('DOWNLOAD_TIMEOUT', `attachment download took longer than ${opts.timeoutMs} ms`);
    throw new BotError('DOWNLOAD_FAILED', `attachment download failed: ${(e as Error).message}`);
  }
}
