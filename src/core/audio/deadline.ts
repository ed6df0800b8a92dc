// How long one file may take, in a module of its own (no imports): decode.ts takes ffmpeg's share from it, and the
// CLI also the allowance per audio-second, which decides whether a WAV file can be analyzed in its own thread.

export const DEFAULT_FFMPEG_TIMEOUT_MS = 20_000;
/** The analysis allowance per allowed audio-second, on top of ffmpeg's timeout (see analysisDeadlineMs). */
export const ANALYSIS_MS_PER_AUDIO_SECOND = 50;

/**
 * How long decoding and analyzing one file may take before a front door gives up on it (the bot's
 * pool, the CLI): a few times the measured cost of the longest allowed audio. ffmpeg may use its
 * whole timeout; on top of that 50 ms per allowed second: 26 s for the bot's default 120 s, 35 s
 * for 300 s. Measured (scripts/fuzz/worst-case.ts): 300 s of speech-like audio, the costliest input
 * under the 8 MB cap, takes 9–12 s niced on a busy shared 2-core machine (~1 s idle).
 */
export function analysisDeadlineMs(maxDurationSec: number, ffmpegTimeoutMs = DEFAULT_FFMPEG_TIMEOUT_MS): number {
  return ffmpegTimeoutMs + Math.ceil(maxDurationSec * ANALYSIS_MS_PER_AUDIO_SECOND);
}

