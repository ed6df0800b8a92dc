// /analyze end to end: the real bot, core and shipped model behind a real discord.js Client, against the loopback emulator.
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/index.js';
import { LEVEL_COLOR } from '../../src/core/decision.js';
import { EMOJI, EMOTIONS } from '../../src/core/emotions.js';
import { readModel } from '../../src/core/model/io.js';
import { laneChart, analysisTimeline } from '../../src/charts/lanes.js';
import { confidenceOpacity, EMOTION_FILL } from '../../src/charts/palette.js';
import { TIMELINE_NAME } from '../../src/bot/attachment-analysis.js';
import { errorTitle, startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { colorDistance, decodePng } from '../helpers/png.js';
import { encodeWithFfmpeg } from '../helpers/audio-fixtures.js';
import { readFileSync } from 'node:fs';
import { analyzeCommand, DEFAULT_APP_PERMISSIONS, slashCommand } from '../emulator/payloads.js';
import { ravdessClips, silenceNote, speechNote, voiceNote } from '../emulator/voice-note.js';

const BAR = /^(\S+) (\w+) ([█░]{10}) (\d{1,3}) %$/u;
let h: EmulatedBot;

beforeAll(async () => {
  h = await startEmulatedBot({ DOWNLOAD_TIMEOUT_SECONDS: '1.5' });
});
afterAll(async () => {
  await h?.stop();
});

describe('/analyze with a RAVDESS voice note', () => {
  it('defers first, then edits the reply with the emotion, confidence, top-3 and level color the core computed', async () => {
    const bytes = await voiceNote(ravdessClips({ actor: 9, emotion: '05', intensity: '02' }).slice(0, 2)); // angry, strong
    const expected = analyze(await decodeAudio(bytes.slice(), { maxDurationSec: 120 }), await readModel(h.bot.services.config.modelPath));
    const att = h.emu.addAttachment('voice-message.ogg', bytes, { contentType: 'audio/ogg', durationSecs: expected.durationSec });

    const p = h.emu.interact(analyzeCommand(h.emu.world, att));
    const o = await h.emu.waitForOutcome(p.token);

    // Deferral, public, before the attachment was fetched (Discord's 3-s rule).
    const [first] = o.calls;
    expect(first!.route).toBe(`/interactions/${p.id}/${p.token}/callback`);
    expect(first!.body).toEqual({ type: 5, data: { flags: 0 } });
    const hit = h.emu.fileHits.find((f) => att.url.includes(f.path))!;
    expect(hit.at).toBeGreaterThan(first!.at);
    expect(o).toMatchObject({ via: 'edit', deferred: true, ephemeral: false });

    const [e] = o.embeds;
    const name = expected.emotion[0]!.toUpperCase() + expected.emotion.slice(1);
    expect(e.title.startsWith(`${EMOJI[expected.emotion]} ${name}`)).toBe(true);
    expect(e.description).toContain(`${Math.round(expected.confidence * 100)} %`);
    expect(e.color).toBe(LEVEL_COLOR[expected.level]);
    const top = e.fields.find((f: any) => f.name === 'Top 3').value.split('\n');
    expect(top).toHaveLength(3);
    top.forEach((line: string, k: number) => {
      const m = BAR.exec(line)!;
      expect(m, line).not.toBeNull();
      expect(m[2]).toBe(expected.top3[k]!.emotion);
      expect(EMOTIONS).toContain(m[2]);
      expect(Number(m[4])).toBe(Math.round(expected.top3[k]!.probability * 100));
    });
    expect(e.fields.find((f: any) => f.name === 'Duration').value).toBe(`${expected.durationSec.toFixed(1)} s`);
    expect(e.footer.text).toContain(`Model ${expected.modelVersion}`);
    await vi.waitFor(() => expect(h.logs.some((l) => l.msg === 'analysis answered' && l.interactionId === p.id)).toBe(true));
    // One `level` per line (the log level): collectors keep the last of two equal keys.
    const answered = h.rawLogs.find((l) => l.includes('"analysis answered"') && l.includes(p.id))!;
    expect(JSON.parse(answered)).toMatchObject({ level: 30, confidenceLevel: expected.level });
    for (const line of h.rawLogs) expect(line.match(/"level":/g), line).toHaveLength(1);
  });

  it('answers privately when asked to', async () => {
    const att = h.emu.addAttachment('clip.ogg', await speechNote(4), { contentType: 'audio/ogg' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token);
    expect(o.calls[0]!.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(o).toMatchObject({ via: 'edit', ephemeral: true });
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
  });

  it('answers privately, and says why, in a channel where the bot may not post embeds', async () => {
    const att = h.emu.addAttachment('clip.ogg', await speechNote(4), { contentType: 'audio/ogg' });
    const perms = DEFAULT_APP_PERMISSIONS & ~PermissionFlagsBits.EmbedLinks;
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { appPermissions: perms })).token);
    expect(o).toMatchObject({ via: 'edit', ephemeral: true });
    expect(o.embeds[0].description).toMatch(/Only you can see this.*Embed Links/);
  });
});

describe('/analyze of a long recording attaches its timeline image', () => {
  it('a 25-s note with several utterances: the reply carries a PNG whose lane shows each segment', async () => {
    const clips = ravdessClips({ actor: 9 }).slice(0, 8);
    const bytes = await voiceNote(clips, 25);
    const expected = analyze(await decodeAudio(bytes.slice(), { maxDurationSec: 120 }), await readModel(h.bot.services.config.modelPath));
    expect(expected.segments.length).toBeGreaterThan(1);
    const att = h.emu.addAttachment('long-note.ogg', bytes, { contentType: 'audio/ogg' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att)).token);
    expect(o).toMatchObject({ via: 'edit', ephemeral: false });
    expect(o.embeds[0].fields.find((f: any) => f.name.startsWith('Timeline')).name).toBe(`Timeline (${expected.segments.length} segments)`);
    // Uploaded through discord.js as multipart: the file part, and its entry in payload_json.
    expect(o.files.map((f) => f.filename)).toEqual([TIMELINE_NAME]);
    expect(o.embeds[0].image.url).toBe(`attachment://${TIMELINE_NAME}`); // shown under the result, in the embed
    expect(o.files[0]!.contentType).toBe('image/png');
    const edit = o.calls.findLast((c) => c.method === 'PATCH')!;
    expect(edit.body.attachments[0]).toMatchObject({ id: '0', description: expect.stringMatching(/emotion of each part/) });
    const img = decodePng(o.files[0]!.bytes);
    const { layout } = laneChart(analysisTimeline(expected, 'long-note.ogg'));
    expect([img.width, img.height]).toEqual([layout.width * 2, layout.height * 2]);
    // The longest confident segment is drawn in its emotion's colour where its time is.
    const seg = [...expected.segments].filter((x) => x.level !== 'uncertain').sort((a, b) => b.end - b.start - (a.end - a.start))[0]!;
    const px = img.at(layout.timeX((seg.start + seg.end) / 2) * 2, (layout.barTop(0) + layout.barHeight / 2) * 2);
    const [r, g, b] = [1, 3, 5].map((k) => parseInt(EMOTION_FILL[seg.emotion].slice(k, k + 2), 16));
    const a = confidenceOpacity(seg.confidence);
    // Over the lane's track (≈ #2a2b30): the colour at its confidence's opacity.
    expect(colorDistance(px, [r! * a + 0x2a * (1 - a), g! * a + 0x2b * (1 - a), b! * a + 0x30 * (1 - a)])).toBeLessThanOrEqual(4);
  });

  it('a short clip (one segment) gets no image; without Attach Files the answer is the embed alone', async () => {
    const one = h.emu.addAttachment('clip.ogg', await voiceNote(ravdessClips({ actor: 9 }).slice(0, 1)), { contentType: 'audio/ogg' });
    const o1 = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, one)).token);
    expect(o1.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
    expect(o1.files).toEqual([]);
    const long = h.emu.addAttachment('long.ogg', await voiceNote(ravdessClips({ actor: 9 }).slice(0, 8), 25), { contentType: 'audio/ogg' });
    const perms = DEFAULT_APP_PERMISSIONS & ~PermissionFlagsBits.AttachFiles;
    const o2 = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, long, { appPermissions: perms })).token);
    expect(o2).toMatchObject({ via: 'edit', ephemeral: false });
    expect(o2.embeds[0].fields.find((f: any) => f.name.startsWith('Timeline'))).toBeDefined();
    expect(o2.files).toEqual([]);
    expect(o2.embeds[0].image).toBeUndefined();
    expect(o2.calls.every((c) => c.files.length === 0)).toBe(true);
  });
});

describe('/analyze refuses what it cannot analyze, privately', () => {
  it('a file that is not audio, at once and without downloading it', async () => {
    const att = h.emu.addAttachment('notes.txt', new TextEncoder().encode('not audio'), { contentType: 'text/plain' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att)).token);
    expect(o).toMatchObject({ via: 'callback', deferred: false, ephemeral: true });
    expect(errorTitle(o)).toBe('That is not audio');
    expect(o.embeds[0].description).toContain('notes.txt');
    expect(h.emu.fileHits.some((f) => att.url.includes(f.path))).toBe(false);
  });

  it('a Matroska file (video/x-matroska) with an Opus track is read, not refused as "not audio"', async () => {
    const mkv = encodeWithFfmpeg(readFileSync(ravdessClips({ actor: 9, emotion: '05' })[0]!), ['-c:a', 'libopus', '-b:a', '32k'], 'mkv');
    const att = h.emu.addAttachment('screen-recording.mkv', mkv, { contentType: 'video/x-matroska' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token);
    expect(o.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
  });

  it('bytes that only claim to be audio: the public placeholder is removed and the error sent privately', async () => {
    const png = Uint8Array.from(Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'));
    const att = h.emu.addAttachment('voice.ogg', png, { contentType: 'audio/ogg' });
    const p = h.emu.interact(analyzeCommand(h.emu.world, att));
    const o = await h.emu.waitForOutcome(p.token);
    expect(o).toMatchObject({ via: 'followup', deferred: true, ephemeral: true });
    expect(errorTitle(o)).toBe('Unsupported format');
    expect(o.calls.some((c) => c.method === 'DELETE' && c.route.endsWith(`/${p.token}/messages/@original`))).toBe(true);
  });

  it('an attachment declared bigger than the cap, at once and without downloading it', async () => {
    const att = h.emu.addAttachment('huge.ogg', new Uint8Array(10), { contentType: 'audio/ogg', declaredSize: 50 * 1024 * 1024 });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att)).token);
    expect(o).toMatchObject({ via: 'callback', ephemeral: true });
    expect(errorTitle(o)).toBe('File too big');
    expect(o.embeds[0].description).toContain('50 MB; the limit is 8.0 MB');
    expect(h.emu.fileHits.some((f) => att.url.includes(f.path))).toBe(false);
  });

  it('a file that turns out bigger than the cap while downloading (no content-length): "larger than", not "8.0 MB; the limit is 8.0 MB"', async () => {
    const att = h.emu.addAttachment('lies.ogg', new Uint8Array(9 * 1024 * 1024), { contentType: 'audio/ogg', declaredSize: 4096, mode: 'chunked' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token);
    expect(errorTitle(o)).toBe('File too big');
    expect(o.embeds[0].description).toBe('That file is larger than the 8.0 MB limit. Send a shorter clip.');
  });

  it('an Ogg cut right after its headers is a broken file, not an empty recording', async () => {
    const note = await speechNote(3);
    let end = 0; // the end of the second page (OpusHead, OpusTags)
    for (let page = 0; page < 2; page++) {
      const segments = note[end + 26]!;
      end += 27 + segments + note.subarray(end + 27, end + 27 + segments).reduce((a, b) => a + b, 0);
    }
    const att = h.emu.addAttachment('voice-message.ogg', note.slice(0, end), { contentType: 'audio/ogg' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token);
    expect(errorTitle(o)).toBe('Broken audio file');
    expect(o.embeds[0].description).toMatch(/damaged or cut off/);
  });

  it('a download that never finishes: gives up after the timeout and says so', async () => {
    const att = h.emu.addAttachment('slow.ogg', await speechNote(3), { contentType: 'audio/ogg', mode: 'hang' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token, 20_000);
    expect(o).toMatchObject({ via: 'edit', ephemeral: true });
    expect(errorTitle(o)).toBe('Download timed out');
    expect(o.embeds[0].description).toContain('longer than 2 s');
  });

  it('silence', async () => {
    const att = h.emu.addAttachment('voice-message.ogg', await silenceNote(3), { contentType: 'audio/ogg' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token);
    expect(errorTitle(o)).toBe('No speech found');
    expect(o.ephemeral).toBe(true);
  });

  it('a format that needs ffmpeg when the bot has none', async () => {
    // An MP3 of the same speech; the harness starts the bot without ffmpeg.
    const { spawnSync } = await import('node:child_process');
    const mp3 = spawnSync('ffmpeg', ['-v', 'error', '-i', ravdessClips({ actor: 2 })[0]!, '-f', 'mp3', '-'], { maxBuffer: 1 << 24 }).stdout;
    const att = h.emu.addAttachment('memo.mp3', new Uint8Array(mp3), { contentType: 'audio/mpeg' });
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, att, { private: true })).token);
    expect(errorTitle(o)).toBe('Format not supported here');
  });

  it('no attachment at all', async () => {
    const o = await h.emu.waitForOutcome(h.emu.interact(analyzeCommand(h.emu.world, null)).token);
    expect(o).toMatchObject({ via: 'callback', ephemeral: true });
    expect(errorTitle(o)).toBe('No audio to analyze');
  });

  it('an unexpected failure: the user gets an error id that is in the log', async () => {
    const o = await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'retired-command')).token);
    expect(o).toMatchObject({ via: 'callback', ephemeral: true });
    const id = /error id: `([0-9a-f]{8})`/.exec(o.embeds[0].description)![1];
    expect(o.embeds[0].footer.text).toBe(`Error id: ${id}`);
    expect(h.logs.find((l) => l.errorId === id)).toMatchObject({ level: 50, msg: 'unexpected error', command: 'retired-command' });
  });
});

describe('/analyze limits', () => {
  let strict: EmulatedBot;
  beforeAll(async () => {
    strict = await startEmulatedBot({ MAX_AUDIO_SECONDS: '10', MIN_SPEECH_SECONDS: '3', COOLDOWN_SECONDS: '60' });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('a recording longer than MAX_AUDIO_SECONDS says how long it is', async () => {
    // 70 s still reads in minutes and seconds; encoding it costs ~1.2 s of CPU where 190 s cost ~3.2, which at
    // load 14–19 once took this test past its 60-s timeout (the bot answers in under 0.1 s).
    const att = strict.emu.addAttachment('long.ogg', await speechNote(70), { contentType: 'audio/ogg' });
    const o = await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, att, { private: true })).token);
    expect(errorTitle(o)).toBe('Recording too long');
    expect(o.embeds[0].description).toBe('This recording is 1 min 10 s; the limit is 10 s. Send a shorter clip.');
  });

  it('less speech than MIN_SPEECH_SECONDS', async () => {
    const att = strict.emu.addAttachment('short.ogg', await voiceNote(ravdessClips({ actor: 4 }).slice(0, 1)), { contentType: 'audio/ogg' });
    const o = await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, att, { private: true })).token);
    expect(errorTitle(o)).toBe('Too little speech');
    expect(o.embeds[0].description).toMatch(/at least 3 s/);
  });

  it('a second request from the same user within the cooldown', async () => {
    const userId = '1300000000000000001';
    const note = await speechNote(9); // enough speech for MIN_SPEECH_SECONDS=3
    const first = strict.emu.addAttachment('a.ogg', note, { contentType: 'audio/ogg' });
    const second = strict.emu.addAttachment('b.ogg', note, { contentType: 'audio/ogg' });
    const start = performance.now();
    await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, first, { userId })).token);
    const o = await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, second, { userId })).token);
    const elapsedSec = (performance.now() - start) / 1000;
    expect(o).toMatchObject({ via: 'callback', ephemeral: true });
    expect(errorTitle(o)).toBe('Slow down a little');
    // The 60-s cooldown began with the first request: what is left is 60 s less the time since (more on a busy machine).
    const left = Number(/again in (\d+) s/.exec(o.embeds[0].description)?.[1]);
    expect(left).toBeLessThanOrEqual(60);
    expect(left).toBeGreaterThanOrEqual(Math.floor(60 - elapsedSec));
    // Someone else is not held back.
    const other = strict.emu.addAttachment('c.ogg', note, { contentType: 'audio/ogg' });
    // A try that failed on the bot's side (here the file was gone from the CDN) does not cost its cooldown.
    const gone = strict.emu.addAttachment('gone.ogg', note, { contentType: 'audio/ogg', mode: 'gone' });
    const userB = '1300000000000000002';
    const failed = await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, gone, { userId: userB, private: true })).token);
    expect(errorTitle(failed)).toBe('Download failed');
    expect(failed.embeds[0].description).toMatch(/no longer on Discord/);
    expect(strict.logs.findLast((l) => l.msg === 'request not analyzed')).toMatchObject({ code: 'DOWNLOAD_FAILED', status: 404 });
    const retry = strict.emu.addAttachment('retry.ogg', note, { contentType: 'audio/ogg' });
    const retried = await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, retry, { userId: userB, private: true })).token);
    expect(retried.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
    const o2 = await strict.emu.waitForOutcome(strict.emu.interact(analyzeCommand(strict.emu.world, other)).token);
    expect(o2).toMatchObject({ via: 'edit', ephemeral: false });
    expect(o2.embeds[0].fields.find((f: any) => f.name === 'Top 3')).toBeDefined();
  });
});
