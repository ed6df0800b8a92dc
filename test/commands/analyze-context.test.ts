// "Analyze emotion" on messages end to end: voice messages, audio attachments, and messages without audio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorTitle, startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { forwarded, message, messageCommand, snowflake } from '../emulator/payloads.js';
import { ravdessClips, speechNote, voiceNote } from '../emulator/voice-note.js';

const NAME = 'Analyze emotion';
let h: EmulatedBot;

beforeAll(async () => {
  h = await startEmulatedBot();
});
afterAll(async () => {
  await h?.stop();
});

describe('"Analyze emotion" context menu', () => {
  it("analyzes someone's voice message and shows the result only to the person who asked", async () => {
    const note = await voiceNote(ravdessClips({ actor: 11, emotion: '04' }).slice(0, 2)); // sad
    // Voice messages are declared audio/ogg, carry duration and waveform, and have flag 8192.
    const att = h.emu.addAttachment('voice-message.ogg', note, { contentType: 'audio/ogg', durationSecs: 7.2 });
    const target = message(h.emu.world, { attachments: [att], voice: true });
    const p = h.emu.interact(messageCommand(h.emu.world, NAME, target));
    const o = await h.emu.waitForOutcome(p.token);
    expect(o.calls[0]!.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(o).toMatchObject({ via: 'edit', ephemeral: true });
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Top 3').value.split('\n')).toHaveLength(3);
    expect(h.emu.fileHits.filter((f) => att.url.includes(f.path))).toHaveLength(1);
  });

  it('posts publicly when the voice message is the asker’s own', async () => {
    const userId = snowflake();
    const att = h.emu.addAttachment('voice-message.ogg', await speechNote(4), { contentType: 'audio/ogg', durationSecs: 4 });
    const target = message(h.emu.world, { attachments: [att], voice: true, authorId: userId });
    const o = await h.emu.waitForOutcome(h.emu.interact(messageCommand(h.emu.world, NAME, target, { userId })).token);
    expect(o).toMatchObject({ via: 'edit', ephemeral: false });
  });

  it('analyzes a forwarded voice message (its audio is in the snapshot), privately even for the forwarder', async () => {
    const userId = snowflake();
    const att = h.emu.addAttachment('voice-message.ogg', await speechNote(4), { contentType: 'audio/ogg', durationSecs: 4 });
    const target = forwarded(h.emu.world, message(h.emu.world, { attachments: [att], voice: true }), { authorId: userId });
    const o = await h.emu.waitForOutcome(h.emu.interact(messageCommand(h.emu.world, NAME, target, { userId })).token);
    expect(o).toMatchObject({ via: 'edit', ephemeral: true });
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Top 3').value.split('\n')).toHaveLength(3);
    expect(h.emu.fileHits.filter((f) => att.url.includes(f.path))).toHaveLength(1);
  });

  it('takes the first audio attachment of an ordinary message', async () => {
    const image = h.emu.addAttachment('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { contentType: 'image/png' });
    const audio = h.emu.addAttachment('memo.ogg', await speechNote(4), { contentType: 'audio/ogg' });
    const target = message(h.emu.world, { attachments: [image, audio], content: 'listen to this' });
    const o = await h.emu.waitForOutcome(h.emu.interact(messageCommand(h.emu.world, NAME, target)).token);
    expect(o.via).toBe('edit');
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
    expect(h.emu.fileHits.some((f) => image.url.includes(f.path))).toBe(false);
  });

  it('explains privately, at once, when the message has no audio', async () => {
    const image = h.emu.addAttachment('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { contentType: 'image/png' });
    for (const target of [message(h.emu.world, { content: 'just text' }), message(h.emu.world, { attachments: [image] })]) {
      const o = await h.emu.waitForOutcome(h.emu.interact(messageCommand(h.emu.world, NAME, target)).token);
      expect(o).toMatchObject({ via: 'callback', deferred: false, ephemeral: true });
      expect(errorTitle(o)).toBe('No audio to analyze');
      expect(o.embeds[0].description).toContain('Analyze emotion');
    }
  });
});
