// Fetches an attachment from the URL Discord put in the interaction: size-checked first, streamed with a byte cap and a deadline.
import { BotError } from './errors.js';

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** The size Discord declared for the attachment; checked before any byte is fetched. */
  declaredSize?: number | null;
}

/**
 * The attachment's bytes in a Uint8Array that owns its whole ArrayBuffer, so it can be transferred to a
 * worker. Throws BotError TOO_BIG, DOWNLOAD_TIMEOUT or DOWNLOAD_FAILED.
 */
export async function downloadAttachment(url: string, opts: DownloadOptions): Promise<Uint8Array> {
  if (opts.declaredSize != null && opts.declaredSize > opts.maxBytes) {
    throw new BotError('TOO_BIG', 'declared attachment size over the cap', { size: opts.declaredSize });
  }
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new BotError('DOWNLOAD_FAILED', `refusing ${u.protocol} URL`);

  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(u, { signal });
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
