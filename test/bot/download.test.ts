import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadAttachment } from '../../src/bot/download.js';

let server: Server;
let base = '';
const hits: string[] = [];

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
    } else if (req.url === '/hang') {
      res.writeHead(200, { 'content-type': 'audio/ogg' });
      res.write(Buffer.from('OggS'));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
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
    await expect(downloadAttachment(`http://127.0.0.1:${port}/x`, opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
  });

  it('only fetches http(s) URLs', async () => {
    await expect(downloadAttachment('file:///etc/passwd', opts)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
  });
});
