// A self-signed certificate for 127.0.0.1, made per test run with the openssl CLI (no key is ever committed),
// and trusted by this process only: @discordjs/voice always dials wss://.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface TlsMaterial {
  key: string;
  cert: string;
}

export function selfSignedCert(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'ser-voice-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds `cert` to this process's default trust store (what NODE_EXTRA_CA_CERTS does at start-up). */
export function trust(cert: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert]);
}
