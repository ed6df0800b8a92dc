// A loopback stand-in for an OpenAI-compatible /v1/audio/transcriptions server: parses the multipart upload itself and answers as told.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export interface ReceivedUpload {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  parts: FormPart[];
  /** Convenience: the `file` part's bytes, and text fields by name. */
  file: FormPart | undefined;
  fields: Record<string, string>;
  /** performance.now() when the request began to arrive (the emulator's clock, in the same process). */
  at: number;
}

/**
 * What the server does with the next uploads:
 * `ok` answers `{text}` (whisper.cpp style, with a leading space and a newline); `status` answers that
 * HTTP status with an OpenAI-style error body; `hang` reads the upload and never answers;
 * `not-json` answers 200 with HTML; `slow` answers `ok` after `delayMs`.
 */
export type FakeMode =
  | { kind: 'ok'; text?: string }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'not-json' }
  | { kind: 'slow'; delayMs: number; text?: string };

export const FAKE_TRANSCRIPT = 'Kids are talking by the door.';
export const ROUTE = '/v1/audio/transcriptions';

/** Splits a multipart/form-data body on its boundary, the way a server would (RFC 7578), without any library. */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new Error('no boundary in content-type');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('boundary not found in body');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw new Error('malformed delimiter line');
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw new Error('part without a header end');
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('part without a closing boundary');
    const part: FormPart = { name: '', data: body.subarray(headerEnd + 4, next) };
    for (const h of headers) {
      const [key, ...rest] = h.split(':');
      const value = rest.join(':').trim();
      if (key!.toLowerCase() === 'content-disposition') {
        part.name = /\bname="([^"]*)"/.exec(value)?.[1] ?? '';
        const fn = /\bfilename="([^"]*)"/.exec(value)?.[1];
        if (fn !== undefined) part.filename = fn;
      } else if (key!.toLowerCase() === 'content-type') part.contentType = value;
    }
    parts.push(part);
    at = next + 2;
  }
  return parts;
}

export class FakeTranscriptionServer {
  mode: FakeMode = { kind: 'ok' };
  readonly uploads: ReceivedUpload[] = [];
  private server: Server = createServer((req, res) => void this.onRequest(req, res));
  private timers = new Set<NodeJS.Timeout>();
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The value for TRANSCRIBE_URL (the base, as for OpenAI). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client gave up mid-upload (its timeout or signal): nothing arrived to record or answer
    }
    const url = new URL(req.url!, 'http://127.0.0.1');
    if (req.method !== 'POST' || url.pathname !== ROUTE) return json(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
    const contentType = req.headers['content-type'];
    let parts: FormPart[];
    try {
      if (!contentType?.startsWith('multipart/form-data')) throw new Error(`expected multipart/form-data, got ${contentType}`);
      parts = parseMultipart(Buffer.concat(chunks), contentType);
    } catch (e) {
      return json(res, 400, { error: { message: (e as Error).message } });
    }
    const file = parts.find((p) => p.name === 'file');
    const fields = Object.fromEntries(parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]));
    this.uploads.push({ path: url.pathname, authorization: req.headers.authorization, contentType, parts, file, fields, at });
    // The contract every OpenAI-compatible server enforces.
    if (!file || file.filename === undefined) return json(res, 400, { error: { message: "no 'file' field in the request" } });
    if (!fields.model) return json(res, 400, { error: { message: "you must provide a 'model' parameter" } });

    const mode = this.mode;
    switch (mode.kind) {
      case 'ok':
        return json(res, 200, { text: ` ${mode.text ?? FAKE_TRANSCRIPT}\n` });
      case 'slow': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          json(res, 200, { text: ` ${mode.text ?? FAKE_TRANSCRIPT}\n` });
        }, mode.delayMs);
        this.timers.add(t);
        return;
      }
      case 'status': {
        const messages: Record<number, string> = {
          401: 'Incorrect API key provided: sk-test****1234.',
          413: 'Maximum content size limit (26214400) exceeded.',
          429: 'Rate limit reached for requests.',
          500: 'The server had an error while processing your request.',
        };
        if (mode.retryAfter) res.setHeader('retry-after', mode.retryAfter);
        return json(res, mode.status, { error: { message: messages[mode.status] ?? `status ${mode.status}`, type: 'test' } });
      }
      case 'not-json':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not an API</html>');
        return;
      case 'hang':
        return; // keeps the socket open; stop() closes it
    }
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
