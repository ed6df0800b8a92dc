// The bot's own check of the Node it runs on: the built-in SQLite store needs 22.13 without a flag.
import { expect, it } from 'vitest';
import { nodeTooOld } from '../../src/bot/node-version.js';

it('accepts Node 22.13 and newer, refuses older ones in one line that says what to do', () => {
  for (const ok of ['22.13.0', '22.23.3', '23.0.0', '24.1.0']) expect(nodeTooOld(ok)).toBeNull();
  for (const old of ['22.12.0', '20.20.2', '18.20.4']) expect(nodeTooOld(old)).toMatch(new RegExp(`^Node ${old.replace(/\./g, '\\.')} is too old: ser-bot needs Node 22\\.13 or newer \\(.*npm start`));
  expect(nodeTooOld()).toBeNull(); // the Node running these tests
});
