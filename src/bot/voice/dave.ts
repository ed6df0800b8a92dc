// What the bot can read of a voice connection's DAVE (end-to-end encryption) session: the voice privacy code
// people compare in their clients, and davey's decryption counters for the session-end log.
import type { VoiceConnection } from '@discordjs/voice';

interface DaveWrapper {
  protocolVersion: number;
  voicePrivacyCode: string | null;
  downgraded?: boolean;
  session?: any;
}

/** @discordjs/voice's DAVESession wrapper, or undefined when the networking state holds none. */
function daveOf(conn: VoiceConnection | null): DaveWrapper | undefined {
  const s = conn?.state;
  if (!s || !('networking' in s)) return undefined;
  const n = s.networking.state;
  // `downgraded` and `session` are private in the typings; read, never replaced.
  return 'dave' in n ? (n.dave as unknown as DaveWrapper | undefined) : undefined;
}

/**
 * The call's voice privacy code (30 digits, the same for everyone in the call's current MLS epoch, shown
 * by Discord clients); null while the bot is not yet in the encryption group; undefined when the voice
 * server did not negotiate end-to-end encryption (protocol version 0: never on Discord since March 2026).
 */
export function privacyCodeOf(conn: VoiceConnection | null): string | null | undefined {
  const s = conn?.state;
  if (!s || !('networking' in s)) return null;
  const dave = daveOf(conn);
  if (!dave || dave.protocolVersion === 0) return undefined;
  return dave.voicePrivacyCode ?? null;
}

export interface DaveStats {
  protocolVersion: number;
  /** Frames davey decrypted, failed to decrypt, or let through unencrypted (passthrough), over the current MLS session. */
  decrypted: number;
  failed: number;
  passthrough: number;
  /** Time davey spent decrypting, in microseconds (its own counter). */
  decryptUs: number;
}

/** davey's per-sender decryption counters summed over `userIds` (they restart when the session re-initializes). */
export function daveStats(conn: VoiceConnection | null, userIds: Iterable<string>): DaveStats | null {
  const dave = daveOf(conn);
  if (!dave) return null;
  const out: DaveStats = { protocolVersion: dave.protocolVersion, decrypted: 0, failed: 0, passthrough: 0, decryptUs: 0 };
  for (const id of userIds) {
    let s: { successes: number; failures: number; passthroughs: number; duration: number } | null = null;
    try {
      s = dave.session?.getDecryptionStats(id, 0) ?? null; // 0 = MediaType.AUDIO (a const enum)
    } catch {
      // no decryptor for that user (never in the group, or left)
    }
    if (!s) continue;
    out.decrypted += s.successes;
    out.failed += s.failures;
    out.passthrough += s.passthroughs;
    out.decryptUs += s.duration;
  }
  return out;
}

// DAVE's transition expiry (seconds): how long frames in the clear are still accepted after a transition.
const TRANSITION_EXPIRY_S = 10;

/**
 * After a transition back to end-to-end encryption, let frames in the clear through only for the
 * transition expiry. @discordjs/voice 0.19.2 calls davey's `setPassthroughMode(true, 10)` when it executes
 * an upgrade, and `true` means "forever": from then on the bot would accept unencrypted audio attributed to
 * anyone in an E2EE call. `false` with an expiry (what libdave-based clients do) only ever shortens it.
 */
export function limitPassthrough(conn: VoiceConnection | null): void {
  const dave = daveOf(conn);
  if (!dave?.session?.ready || dave.protocolVersion === 0 || dave.downgraded) return;
  dave.session.setPassthroughMode(false, TRANSITION_EXPIRY_S);
}
