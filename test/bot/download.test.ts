import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowTestAttachmentOrigins, checkAttachmentUrl, downloadAttachment } from '../../src/bot/download.js';

let server: Server;
let base = '';
const hits: string[] = [];
let other: Server;
let otherPort = 0;
let otherHits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url!);
    if (req.url === '/ok') {
      res.writeHead(200, { 'content-type': 'audio/ogg' });
      res.write(Buffer.alloc(3000, 1));
      res.end(Buffer.alloc(2000, 2));
    } else if (req.url === '/lying-length') {
      // No content-length: a chunked body that turns out far bigger than declared in the interaction.
      res.writeHead(200);
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/big-header') {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(10));
    } else if (req.url === '/to-other-port') {
      // A redirect to another local service: the kind of hop that returned that service's body.
      res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/secret` }).end();
    } else if (req.url === '/to-cdn-http') {
      res.writeHead(301, { location: 'http://cdn.discordapp.com/attachments/1/2/a.ogg' }).end();
    } else if (req.url === '/to-ok') {
      res.writeHead(307, { location: '/ok' }).end();
    } else if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (req.url === '/no-location') {
      res.writeHead(302).end();
    } else if (req.url === '/hang') {
      res.writeHead(200, { 'content-type': 'audio/ogg' });
      res.write(Buffer.from('OggS'));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  other = createServer((_req, res) => {
    otherHits++;
    res.end('internal service body');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherPort = (other.address() as AddressInfo).port;
  // Only this exact origin: the test-only allowance never covers another port on the same host.
  allowTestAttachmentOrigins([base]);
});
afterAll(async () => {
  allowTestAttachmentOrigins([]);
  await new Promise((r) => other.close(r));
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const opts = { maxBytes: 1024 * 1024, timeoutMs: 5_000 };

describe('downloadAttachment', () => {
  it('returns all bytes in a buffer it owns (transferable to a worker)', async () => {
    const bytes = await downloadAttachment(`${base}/ok`, opts);
    expect(bytes.byteLength).toBe(5000);
    expect(bytes.buffer.byteLength).toBe(5000);
    expect(bytes[0]).toBe(1);
    expect(bytes[4999]).toBe(2);
  });

  it('rejects by declared size without fetching anything', async () => {
    const before = hits.length;
    await expect(downloadAttachment(`${base}/ok`, { ...opts, declaredSize: 2 * 1024 * 1024 })).rejects.toMatchObject({ code: 'TOO_BIG', details: { size: 2 * 1024 * 1024 } });
    expect(hits.length).toBe(before);
  });

  it('rejects a content-length over the cap before reading the body', async () => {
    await expect(downloadAttachment(`${base}/big-header`, opts)).rejects.toMatchObject({ code: 'TOO_BIG' });
  });

  it('stops streaming as soon as the cap is passed, whatever was declared', async () => {
    const err = await downloadAttachment(`${base}/lying-length`, { ...opts, declaredSize: 100 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'TOO_BIG', details: { atLeast: true } });
    expect(err.details.size).toBeGreaterThan(opts.maxBytes);
    expect(err.details.size).toBeLessThanOrEqual(opts.maxBytes + 64 * 1024);
  });

  it('gives up on a download that never finishes', async () => {
    await expect(downloadAttachment(`${base}/hang`, { ...opts, timeoutMs: 300 })).rejects.toMatchObject({ code: 'DOWNLOAD_TIMEOUT' });
  });

  it('reports HTTP errors and unreachable hosts as a failed download', async () => {
    await expect(downloadAttachment(`${base}/missing`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { status: 404 } });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    allowTestAttachmentOrigins([base, `http://127.0.0.1:${port}`]);
    await expect(downloadAttachment(`http://127.0.0.1:${port}/x`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', message: expect.stringMatching(/fetch failed/) });
    allowTestAttachmentOrigins([base]);
  });

  it('only fetches http(s) URLs', async () => {
    await expect(downloadAttachment('file:///etc/passwd', opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
  });

  it('fetches only https URLs on Discord attachment hosts (default port, no credentials); each refusal is typed', () => {
    allowTestAttachmentOrigins([]);
    try {
      expect(checkAttachmentUrl('https://cdn.discordapp.com/attachments/1/2/voice-message.ogg').host).toBe('cdn.discordapp.com');
      expect(checkAttachmentUrl('https://media.discordapp.net/attachments/1/2/a.ogg?ex=1').host).toBe('media.discordapp.net');
      const reason = (url: string) => {
        try {
          checkAttachmentUrl(url);
          return 'accepted';
        } catch (e) {
          expect(e).toMatchObject({ code: 'DOWNLOAD_FAILED' });
          return (e as { details: { reason: string } }).details.reason;
        }
      };
      expect(reason('http://cdn.discordapp.com/attachments/1/2/a.ogg')).toBe('NOT_HTTPS');
      expect(reason('https://cdn.discordapp.com.evil.example/a.ogg')).toBe('NOT_DISCORD');
      expect(reason('https://evil.example/cdn.discordapp.com/a.ogg')).toBe('NOT_DISCORD');
      expect(reason('https://cdn.discordapp.com:8443/a.ogg')).toBe('NOT_DISCORD');
      expect(reason('https://user:pw@cdn.discordapp.com/a.ogg')).toBe('NOT_DISCORD');
      expect(reason(`${base}/ok`)).toBe('NOT_HTTPS'); // loopback is refused without the test allowance
      expect(reason('https://127.0.0.1/a.ogg')).toBe('NOT_DISCORD');
      expect(reason('file:///etc/passwd')).toBe('NOT_HTTPS');
      expect(reason('not a url')).toBe('BAD_URL');
      expect(reason('https://[::1')).toBe('BAD_URL');
    } finally {
      allowTestAttachmentOrigins([base]);
    }
  });

  it('a malformed URL is a typed DOWNLOAD_FAILED, not a raw TypeError', async () => {
    await expect(downloadAttachment('http://', opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'BAD_URL' } });
  });

  it('follows redirects by hand: each hop is checked like the first URL', async () => {
    expect((await downloadAttachment(`${base}/to-ok`, opts)).byteLength).toBe(5000);
    const before = otherHits;
    await expect(downloadAttachment(`${base}/to-other-port`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'NOT_HTTPS' } });
    expect(otherHits).toBe(before); // the other service was never contacted
    await expect(downloadAttachment(`${base}/to-cdn-http`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'NOT_HTTPS' } });
    await expect(downloadAttachment(`${base}/loop`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'TOO_MANY_REDIRECTS' } });
    await expect(downloadAttachment(`${base}/no-location`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'BAD_REDIRECT' } });
  });
});
