// Which container the bytes are, judged from magic bytes only (a file name or MIME type can lie).

export type AudioFormat = 'wav' | 'ogg' | 'webm' | 'mp3' | 'flac' | 'mp4' | 'aac' | 'unknown';

/** Human names for messages ("Decoding MP3 needs ffmpeg …"). */
export const FORMAT_NAMES: Record<AudioFormat, string> = {
  wav: 'WAV',
  ogg: 'Ogg',
  webm: 'WebM/Matroska',
  mp3: 'MP3',
  flac: 'FLAC',
  mp4: 'M4A/MP4',
  aac: 'AAC',
  unknown: 'unknown',
};

function ascii(b: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

// kbit/s by [version is MPEG-1][layer 1..3][index]; MPEG-2 and 2.5 share a table.
const BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

interface MpegFrame {
  key: number; // version/layer/rate bits, equal on every frame of one stream
  length: number;
}

/** An MPEG audio (layer I–III) frame header at `at`, or null. */
function mpegFrame(b: Uint8Array, at: number): MpegFrame | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3;
  const layerBits = (b[at + 1] >> 1) & 3;
  const brIndex = b[at + 2] >> 4;
  const srIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layerBits === 0 || brIndex === 0 || brIndex === 15 || srIndex === 3) return null;
  const layer = 4 - layerBits;
  const kbps = BITRATES[`${version === 3 ? 1 : 2}-${layer}`][brIndex];
  const rate = MPEG_RATES[version][srIndex];
  const pad = (b[at + 2] >> 1) & 1;
  let length: number;
  if (layer === 1) length = (Math.floor((12 * kbps * 1000) / rate) + pad) * 4;
  else if (layer === 3 && version !== 3) length = Math.floor((72 * kbps * 1000) / rate) + pad;
  else length = Math.floor((144 * kbps * 1000) / rate) + pad;
  return { key: (b[at + 1] & 0xfe) * 256 + (b[at + 2] & 0x0c), length };
}

/** An ADTS (raw AAC) frame header at `at`, or null. */
function adtsFrame(b: Uint8Array, at: number): MpegFrame | null {
  if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1] & 0xf6) !== 0xf0) return null;
  const sfIndex = (b[at + 2] >> 2) & 0xf;
  const length = ((b[at + 3] & 3) << 11) | (b[at + 4] << 3) | (b[at + 5] >> 5);
  if (sfIndex > 12 || length < 7) return null;
  return { key: b[at + 1] * 256 + (b[at + 2] & 0xfc), length };
}

// One valid header can happen by chance in random bytes; a second one exactly where the first
// frame ends practically cannot. A stream shorter than one frame is judged on its only header.
function isFrameStream(b: Uint8Array, at: number, read: (b: Uint8Array, at: number) => MpegFrame | null): boolean {
  const first = read(b, at);
  if (!first) return false;
  const next = at + first.length;
  if (next + 4 > b.length) return true;
  return read(b, next)?.key === first.key;
}

function sniffAt(b: Uint8Array, at: number, depth: number): AudioFormat {
  if ((ascii(b, at, 'RIFF') || ascii(b, at, 'RIFX') || ascii(b, at, 'RF64') || ascii(b, at, 'BW64')) && at === 0) {
    // A short prefix is still "a WAV", so a truncated header reports CORRUPT, not UNSUPPORTED.
    return b.length < 12 || ascii(b, 8, 'WAVE') ? 'wav' : 'unknown';
  }
  if (ascii(b, at, 'OggS')) return 'ogg';
  if (b[at] === 0x1a && b[at + 1] === 0x45 && b[at + 2] === 0xdf && b[at + 3] === 0xa3) return 'webm';
  if (ascii(b, at, 'fLaC')) return 'flac';
  if (ascii(b, at + 4, 'ftyp')) {
    // HEIF/AVIF images share the ISO box layout; they hold no audio.
    const brand = String.fromCharCode(...b.subarray(at + 8, at + 12));
    return ['heic', 'heix', 'mif1', 'msf1', 'avif', 'avis'].includes(brand) ? 'unknown' : 'mp4';
  }
  if (ascii(b, at, 'ID3') && depth < 4) {
    if (at + 10 > b.length) return 'mp3';
    const size = ((b[at + 6] & 0x7f) << 21) | ((b[at + 7] & 0x7f) << 14) | ((b[at + 8] & 0x7f) << 7) | (b[at + 9] & 0x7f);
    const end = at + 10 + size + (b[at + 5] & 0x10 ? 10 : 0);
    // ID3 usually fronts MP3, but also AAC or FLAC; an unreadable rest is still most likely MP3.
    const inner = end < b.length ? sniffAt(b, end, depth + 1) : 'unknown';
    return inner === 'unknown' ? 'mp3' : inner;
  }
  if (isFrameStream(b, at, adtsFrame)) return 'aac';
  if (isFrameStream(b, at, mpegFrame)) return 'mp3';
  return 'unknown';
}

export function sniffFormat(bytes: Uint8Array): AudioFormat {
  return sniffAt(bytes, 0, 0);
}
