// Optional speech-to-text next to the emotion: settings, the WAV upload format and the HTTP client.
export * from './client.js';
export * from './settings.js';
export { encodeWav16 } from './wav.js';
