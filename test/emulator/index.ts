// The loopback Discord emulator and its helpers, for end-to-end tests and the bot benchmark.
export { DiscordEmulator, type Outcome, type RecordedCall } from './emulator.js';
export { emulatorEnv, errorTitle, FAKE_TOKEN, startEmulatedBot, type EmulatedBot } from './harness.js';
export * from './payloads.js';
export * from './voice-note.js';
