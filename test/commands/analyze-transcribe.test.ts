// /analyze transcribe:true and the context menu end to end: the real bot against the Discord emulator and a loopback speech-to-text server.
import { embedLength } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TRANSCRIBE_NOT_SET_UP } from '../../src/bot/attachment-analysis.js';
import { parseWavHeader } from '../../src/core/audio/wav.js';
import type { RecordedCall } from '../emulator/emulator.js';
import { startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { analyzeCommand, message, messageCommand, slashCommand, snowflake, type InteractionPayload } from '../emulator/payloads.js';
import { ravdessClips, speechNote, voiceNote } from '../emulator/voice-note.js';
import { FAKE_TRANSCRIPT, FakeTranscriptionServer, type FakeMode } from '../transcribe/fake-server.js';

const TIMEOUT_SEC = 1.5;
const TRANSCRIPT_HEADER = '**📝 Transcript**';
let stt: FakeTranscriptionServer;
let h: EmulatedBot;
let note: Uint8Array;
/** The reply to the same recording without transcription: what every transcribed reply must still show. */
let baseline: any;

/** The bot's edits of its original reply, in order. */
function edits(token: string): RecordedCall[] {
  return h.emu.callsFor(token).filter((c) => c.method === 'PATCH' && c.route.endsWith('/messages/@original'));
}

function followups(token: string): RecordedCall[] {
  return h.emu.callsFor(token).filter((c) => c.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(c.route));
}

/** Waits until the reply has been edited `n` times; returns the edits' first embeds. */
async function editedTimes(bot: EmulatedBot, token: string, n: number, timeoutMs = 20_000): Promise<any[]> {
  const calls = await bot.emu.waitFor(
    () => {
      const list = bot.emu.callsFor(token).filter((c) => c.method === 'PATCH' && c.route.endsWith('/messages/@original'));
      return list.length >= n && list;
    },
    timeoutMs,
    `${n} edits of ${token}`,
  );
  return calls.map((c) => c.body.embeds[0]);
}

/** The embed with the transcript block taken out of the description. */
function emotionPart(embed: any): any {
  const description = String(embed.description).split('\n\n').filter((b) => !b.startsWith('📝') && !b.startsWith(TRANSCRIPT_HEADER)).join('\n\n');
  return { ...embed, description };
}

function analyzeNote(o: { private?: boolean; transcribe?: boolean } = {}, bot = h): InteractionPayload {
  const att = bot.emu.addAttachment('clip.ogg', note, { contentType: 'audio/ogg' });
  const payload = analyzeCommand(bot.emu.world, att, o.private !== undefined ? { private: o.private } : {});
  if (o.transcribe !== undefined) (payload.data as any).options.push({ name: 'transcribe', type: 5, value: o.transcribe });
  return bot.emu.interact(payload);
}

beforeAll(async () => {
  stt = await new FakeTranscriptionServer().start();
  note = await speechNote(4);
  h = await startEmulatedBot({ TRANSCRIBE_URL: stt.baseUrl, TRANSCRIBE_TIMEOUT_SECONDS: String(TIMEOUT_SEC) });
  const p = analyzeNote();
  [baseline] = await editedTimes(h, p.token, 1);
});
afterAll(async () => {
  await h?.stop();
  await stt?.stop();
});
beforeEach(() => {
  stt.mode = { kind: 'ok' };
  stt.uploads.length = 0;
});

describe('/analyze transcribe:true with speech-to-text set up', () => {
  it('posts the emotion at once with "Transcribing…", then edits the transcript in; the emotion is the same as without', async () => {
    const p = analyzeNote({ transcribe: true });
    const [first, second] = await editedTimes(h, p.token, 2);
    expect(h.emu.callsFor(p.token)[0]!.body).toEqual({ type: 5, data: { flags: 0 } }); // public, deferred
    expect(first.description).toContain('📝 _Transcribing…_');
    expect(second.description.endsWith(`${TRANSCRIPT_HEADER}\n> ${FAKE_TRANSCRIPT}`)).toBe(true);
    expect(emotionPart(first)).toEqual(baseline);
    expect(emotionPart(second)).toEqual(baseline);
    expect(edits(p.token)).toHaveLength(2);
    expect(followups(p.token)).toHaveLength(0);
  });

  it('a long recording: the timeline picture stays in the embed when the transcript is edited in', async () => {
    const att = h.emu.addAttachment('long.ogg', await voiceNote(ravdessClips({ actor: 9 }).slice(0, 8), 25), { contentType: 'audio/ogg' });
    const payload = analyzeCommand(h.emu.world, att);
    (payload.data as any).options.push({ name: 'transcribe', type: 5, value: true });
    const p = h.emu.interact(payload);
    const [first, second] = await editedTimes(h, p.token, 2);
    expect(first.image.url).toBe('attachment://timeline.png');
    expect(second.image.url).toBe('attachment://timeline.png');
    expect(second.description.endsWith(`${TRANSCRIPT_HEADER}\n> ${FAKE_TRANSCRIPT}`)).toBe(true);
    // Uploaded once, with the first edit; the second edit keeps it (Discord keeps attachments an edit does not list).
    expect(edits(p.token).map((c) => c.files.length)).toEqual([1, 0]);
    expect(edits(p.token)[1]!.body.attachments).toBeUndefined();
  });

  it('uploads the decoded audio as 16 kHz mono 16-bit WAV with the model — never the Discord link or the original file', async () => {
    const p = analyzeNote({ transcribe: true });
    await editedTimes(h, p.token, 2);
    expect(stt.uploads).toHaveLength(1);
    const [u] = stt.uploads;
    expect(u!.fields).toEqual({ model: 'whisper-1', response_format: 'json' });
    expect(u!.file).toMatchObject({ filename: 'audio.wav', contentType: 'audio/wav' });
    const wav = new Uint8Array(u!.file!.data);
    const header = parseWavHeader(wav);
    expect(header).toMatchObject({ channels: 1, sampleRate: 16000, bitsPerSample: 16, formatCode: 1 });
    const seconds = header.frames / 16000;
    const duration = Number(/^([\d.]+) s$/.exec(baseline.fields.find((f: any) => f.name === 'Duration').value)![1]);
    expect(Math.abs(seconds - duration)).toBeLessThan(0.06);
    const everything = Buffer.concat(u!.parts.map((part) => part.data)).toString('latin1');
    expect(everything).not.toContain('/attachments/');
    expect(everything).not.toContain('OggS');
  });

  it('logs lengths and timings of the transcript, never its words', async () => {
    const p = analyzeNote({ transcribe: true });
    await editedTimes(h, p.token, 2);
    const line = h.logs.find((l) => l.msg === 'transcript added' && l.interactionId === p.id);
    expect(line.transcribe).toMatchObject({ ok: true, chars: FAKE_TRANSCRIPT.length, audioBytes: expect.any(Number), ms: expect.any(Number) });
    expect(JSON.stringify(h.logs)).not.toContain('talking by the door');
  });

  it.each<[string, FakeMode, RegExp]>([
    ['401', { kind: 'status', status: 401 }, /service failed/],
    ['413', { kind: 'status', status: 413 }, /too large/],
    ['429', { kind: 'status', status: 429, retryAfter: '20' }, /busy; try again later/],
    ['500', { kind: 'status', status: 500 }, /service failed/],
  ])('server answers %s: "Transcript unavailable", and the emotion is unaffected', async (status, mode, reason) => {
    stt.mode = mode;
    const p = analyzeNote({ transcribe: true });
    const [first, second] = await editedTimes(h, p.token, 2);
    expect(second.description).toMatch(/📝 _Transcript unavailable \(.+\)\._$/);
    expect(second.description).toMatch(reason);
    expect(emotionPart(first)).toEqual(baseline);
    expect(emotionPart(second)).toEqual(baseline);
    const warn = h.logs.find((l) => l.msg === 'transcript unavailable' && l.interactionId === p.id);
    expect(warn.transcribe).toMatchObject({ ok: false, status: Number(status) });
    expect(followups(p.token)).toHaveLength(0); // no error message: the request itself succeeded
  });

  it('a server that never answers: the emotion is posted while it hangs, "Transcript unavailable" follows after the timeout', async () => {
    stt.mode = { kind: 'hang' };
    const p = analyzeNote({ transcribe: true });
    const [first] = await editedTimes(h, p.token, 1);
    expect(emotionPart(first)).toEqual(baseline);
    expect(first.description).toContain('Transcribing…');
    // The upload may still be in flight when the emotion lands (under load); it arrives and stays unanswered.
    await vi.waitFor(() => expect(stt.uploads).toHaveLength(1), { timeout: 5_000, interval: 20 });
    expect(edits(p.token)).toHaveLength(1);
    const [, second] = await editedTimes(h, p.token, 2, (TIMEOUT_SEC + 10) * 1000);
    expect(second.description).toContain('📝 _Transcript unavailable (the speech-to-text service took too long)._');
    // The timeout runs from the upload, not from the first edit (which a busy machine can delay).
    const [, e2] = edits(p.token);
    expect(e2!.at - stt.uploads[0]!.at).toBeGreaterThan(TIMEOUT_SEC * 1000 * 0.8);
    expect(h.logs.find((l) => l.msg === 'transcript unavailable' && l.interactionId === p.id).transcribe.code).toBe('TIMEOUT');
  });

  it('answers privately with the transcript when asked to', async () => {
    const p = analyzeNote({ transcribe: true, private: true });
    const [, second] = await editedTimes(h, p.token, 2);
    expect(h.emu.callsFor(p.token)[0]!.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(second.description).toContain(FAKE_TRANSCRIPT);
  });

  it('shows markdown in the words as typed, and cuts a long transcript with "…" inside the embed limits', async () => {
    stt.mode = { kind: 'ok', text: '**not bold** @everyone ' + 'and so on '.repeat(700) };
    const p = analyzeNote({ transcribe: true });
    const [, second] = await editedTimes(h, p.token, 2);
    expect(second.description).toContain('> \\*\\*not bold\\*\\* @everyone and so on');
    expect(second.description.endsWith('…')).toBe(true);
    expect(second.description.length).toBeLessThanOrEqual(4096);
    expect(embedLength(second)).toBeLessThanOrEqual(6000);
    expect(emotionPart(second)).toEqual(baseline);
  });

  it('does not transcribe unless asked', async () => {
    const p = analyzeNote({ transcribe: false });
    const [only] = await editedTimes(h, p.token, 1);
    expect(only).toEqual(baseline);
    await vi.waitFor(() => expect(h.logs.some((l) => l.msg === 'analysis answered' && l.interactionId === p.id)).toBe(true));
    expect(stt.uploads).toHaveLength(0);
    expect(edits(p.token)).toHaveLength(1);
  });
});

describe('"Analyze emotion" with speech-to-text set up', () => {
  it("transcribes the asker's own voice message, publicly, as it shows its emotion", async () => {
    const userId = snowflake();
    const before = stt.uploads.length;
    const att = h.emu.addAttachment('voice-message.ogg', note, { contentType: 'audio/ogg', durationSecs: 4 });
    const p = h.emu.interact(messageCommand(h.emu.world, 'Analyze emotion', message(h.emu.world, { attachments: [att], voice: true, authorId: userId }), { userId }));
    const [, second] = await editedTimes(h, p.token, 2);
    expect(h.emu.callsFor(p.token)[0]!.body.data.flags ?? 0).toBe(0); // a public deferral
    expect(second.description).toContain(FAKE_TRANSCRIPT);
    expect(stt.uploads.length - before).toBe(1);
  });

  it("never sends someone else's voice message to the service: the asker sees the emotion alone, privately", async () => {
    const before = stt.uploads.length;
    const att = h.emu.addAttachment('voice-message.ogg', note, { contentType: 'audio/ogg', durationSecs: 4 });
    const o = await h.emu.waitForOutcome(h.emu.interact(messageCommand(h.emu.world, 'Analyze emotion', message(h.emu.world, { attachments: [att], voice: true }))).token);
    expect(o).toMatchObject({ via: 'edit', ephemeral: true });
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
    expect(JSON.stringify(o.embeds)).not.toMatch(/Transcri|📝/);
    expect(stt.uploads.length - before).toBe(0);
  });
});

describe('/about', () => {
  const privacy = async (bot: EmulatedBot): Promise<string> => {
    const o = await bot.emu.waitForOutcome(bot.emu.interact(slashCommand(bot.emu.world, 'about')).token);
    return o.embeds[0].fields.find((f: any) => f.name === 'Privacy').value;
  };

  it('says where audio goes for a transcript when speech-to-text is set up', async () => {
    expect(await privacy(h)).toContain(`sent to the speech-to-text service at 127.0.0.1:${stt.port}`);
  });
});

describe('transcription not set up on this bot', () => {
  let plain: EmulatedBot;
  beforeAll(async () => {
    plain = await startEmulatedBot();
  });
  afterAll(async () => {
    await plain?.stop();
  });

  const calls = (token: string) => plain.emu.callsFor(token);

  it('public /analyze transcribe:true: the emotion in public, and an ephemeral follow-up saying transcription is not set up', async () => {
    const p = analyzeNote({ transcribe: true }, plain);
    const followup = await plain.emu.waitFor(() => calls(p.token).find((c) => c.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(c.route)), 20_000, 'follow-up');
    expect(followup.body).toMatchObject({ content: TRANSCRIBE_NOT_SET_UP, flags: 64 });
    const [emotion] = calls(p.token).filter((c) => c.method === 'PATCH');
    expect(calls(p.token)[0]!.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(emotion!.at).toBeLessThan(followup.at);
    expect(emotion!.body.embeds[0]).toEqual(baseline);
    expect(calls(p.token).some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('private /analyze transcribe:true: one private reply with the emotion and a line saying so', async () => {
    const p = analyzeNote({ transcribe: true, private: true }, plain);
    const [embed] = await editedTimes(plain, p.token, 1);
    expect(embed.description).toContain(`_${TRANSCRIBE_NOT_SET_UP}_`);
    expect(embed.fields).toEqual(baseline.fields);
    await vi.waitFor(() => expect(plain.logs.some((l) => l.msg === 'analysis answered' && l.interactionId === p.id)).toBe(true));
    expect(calls(p.token).filter((c) => c.method === 'POST' && c.route.startsWith('/webhooks'))).toHaveLength(0);
  });

  it('/about does not mention speech-to-text', async () => {
    const o = await plain.emu.waitForOutcome(plain.emu.interact(slashCommand(plain.emu.world, 'about')).token);
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Privacy').value).not.toMatch(/speech-to-text/);
  });

  it('the context menu stays silent about it (nobody asked)', async () => {
    const att = plain.emu.addAttachment('voice-message.ogg', note, { contentType: 'audio/ogg', durationSecs: 4 });
    const p = plain.emu.interact(messageCommand(plain.emu.world, 'Analyze emotion', message(plain.emu.world, { attachments: [att], voice: true })));
    const [embed] = await editedTimes(plain, p.token, 1);
    expect(embed).toEqual(baseline);
    await vi.waitFor(() => expect(plain.logs.some((l) => l.msg === 'analysis answered' && l.interactionId === p.id)).toBe(true));
    expect(calls(p.token).filter((c) => c.method === 'PATCH' || c.method === 'POST').length).toBe(2); // callback + one edit
  });
});
