// /listen settings: defaults, the default never above the cap, and one-line errors naming the setting.
import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/bot/config.js';
import { FAKE_TOKEN } from '../emulator/harness.js';

const ok = { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: '123456789012345678' };

it('defaults to 10-minute sessions (60 at most), 800 ms of silence, 1-s utterances and data/optout.json', () => {
  expect(loadConfig(ok).listen).toEqual({ defaultMinutes: 10, maxMinutes: 60, silenceMs: 800, minUtteranceSec: 1, optOutPath: 'data/optout.json' });
});

it('reads every setting, and keeps the default length within the cap', () => {
  const c = loadConfig({ ...ok, LISTEN_DEFAULT_MINUTES: '30', LISTEN_MAX_MINUTES: '15', LISTEN_SILENCE_MS: '500', LISTEN_MIN_UTTERANCE_SECONDS: '1.5', OPTOUT_PATH: '/var/lib/ser/optout.json' });
  expect(c.listen).toEqual({ defaultMinutes: 15, maxMinutes: 15, silenceMs: 500, minUtteranceSec: 1.5, optOutPath: '/var/lib/ser/optout.json' });
});

it('rejects bad values with the setting named', () => {
  for (const [name, value] of [['LISTEN_SILENCE_MS', '50'], ['LISTEN_SILENCE_MS', '800.5'], ['LISTEN_MAX_MINUTES', '0'], ['LISTEN_MIN_UTTERANCE_SECONDS', 'abc']] as const) {
    let err: unknown;
    try {
      loadConfig({ ...ok, [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err, `${name}=${value}`).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe(name);
  }
});
