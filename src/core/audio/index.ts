// The audio room's public API: bytes → mono 16 kHz Pcm, and where the speech is in it.
export { decodeAudio, s16leInterleavedToMono16k, type DecodeOptions } from './decode.js';
export { analysisDeadlineMs } from './deadline.js';
export { sniffFormat, FORMAT_NAMES, type AudioFormat } from './sniff.js';
export { locateFfmpeg, FFMPEG_FREE_FORMATS, type LocateOptions } from './ffmpeg.js';
export { resample, resampleTo16k, downmix, type MonoAudio } from './resample.js';
export { detectSpeech, utterances, slicePcm, speechOnly, type Segment, type VadOptions } from './vad.js';
