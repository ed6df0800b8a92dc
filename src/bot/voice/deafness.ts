// Notices when the bot cannot hear a speaker: their packets keep failing to decrypt or decode, with nothing heard in between.

/** How long, and how many failed packets, before the bot calls itself deaf to a speaker. */
export interface DeafnessOptions {
  afterMs: number;
  minFailures: number;
}

// A few seconds of a speaker's packets (50 a second) all failing: one bad packet or a short burst
// of damage never gets there; a wrong key, a missing cipher or a stuck DAVE session does.
export const DEFAULT_DEAFNESS: DeafnessOptions = { afterMs: 3_000, minFailures: 25 };

/** A run of failures with nothing heard in between: what the warning log carries. */
export interface DeafStreak {
  /** Packets the library could not decrypt (transport or DAVE): it destroyed the stream. */
  decryptFailures: number;
  /** Packets that arrived but did not decode (corrupt Opus, or DAVE ciphertext passed through). */
  undecodable: number;
  seconds: number;
}

export class DeafnessWatch {
  private readonly streaks = new Map<string, { since: number; decryptFailures: number; undecodable: number }>();

  constructor(
    private readonly o: DeafnessOptions = DEFAULT_DEAFNESS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A frame of this speaker decoded: whatever failed before was a hiccup. */
  heard(userId: string): void {
    this.streaks.delete(userId);
  }

  /**
   * `count` failed packets (one by default), the first of them at `since` (default now: a worker reports an
   * utterance's bad frames when it has decoded them); returns the streak (and starts afresh) once it has
   * lasted long enough to call the bot deaf.
   */
  failed(userId: string, kind: 'decryptFailures' | 'undecodable', count = 1, since?: number): DeafStreak | null {
    const t = this.now();
    let s = this.streaks.get(userId);
    if (!s) this.streaks.set(userId, (s = { since: Math.min(t, since ?? t), decryptFailures: 0, undecodable: 0 }));
    else if (since !== undefined && since < s.since) s.since = since;
    s[kind] += count;
    const ms = t - s.since;
    if (s.decryptFailures + s.undecodable < this.o.minFailures || ms < this.o.afterMs) return null;
    this.streaks.clear();
    return { decryptFailures: s.decryptFailures, undecodable: s.undecodable, seconds: Math.round(ms / 100) / 10 };
  }

  /** A new connection: earlier failures say nothing about it. */
  reset(): void {
    this.streaks.clear();
  }
}
