import { describe, expect, it } from 'vitest';
import { DeafnessWatch } from '../../../src/bot/voice/deafness.js';

function watch() {
  let t = 0;
  const w = new DeafnessWatch({ afterMs: 3_000, minFailures: 25 }, () => t);
  return { w, at: (ms: number) => (t = ms) };
}

describe('DeafnessWatch', () => {
  it('calls the bot deaf to a speaker after a few seconds of failures with nothing heard, with the counts', () => {
    const { w, at } = watch();
    let streak = null;
    for (let i = 0; i <= 150 && !streak; i++) {
      at(i * 20);
      streak = w.failed('u', i % 10 === 0 ? 'undecodable' : 'decryptFailures');
    }
    expect(streak).toEqual({ decryptFailures: 135, undecodable: 16, seconds: 3 });
    at(3_020);
    expect(w.failed('u', 'decryptFailures')).toBeNull(); // a new streak starts
  });

  it('one decoded frame ends the streak; few failures over a long time never count', () => {
    const { w, at } = watch();
    for (let i = 0; i < 300; i++) {
      at(i * 20);
      if (i % 100 === 99) w.heard('u');
      else expect(w.failed('u', 'decryptFailures')).toBeNull();
    }
    for (let i = 0; i < 24; i++) {
      at(10_000 + i * 1_000);
      expect(w.failed('v', 'undecodable')).toBeNull();
    }
  });

  it('keeps speakers apart, and reset() forgets everything (a fresh connection)', () => {
    const { w, at } = watch();
    for (let i = 0; i < 100; i++) {
      at(i * 20);
      w.failed('a', 'decryptFailures');
    }
    w.heard('b');
    at(2_980);
    w.reset();
    at(3_100);
    expect(w.failed('a', 'decryptFailures')).toBeNull();
  });

  it("takes a decoded piece's bad frames at once, dated from its first packet (a worker reports them when the piece ends)", () => {
    const { w, at } = watch();
    at(5_000);
    expect(w.failed('u', 'undecodable', 100, 4_000)).toBeNull(); // 100 failures, but over 1 s only
    at(7_500);
    expect(w.failed('u', 'undecodable', 20, 6_600)).toEqual({ decryptFailures: 0, undecodable: 120, seconds: 3.5 });
    at(8_000);
    expect(w.failed('v', 'undecodable', 30, 4_000)).toEqual({ decryptFailures: 0, undecodable: 30, seconds: 4 });
  });
});
