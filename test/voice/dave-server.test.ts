// The DAVE external sender (ts-mls) against real DAVE clients (@snazzah/davey): groups form, grow and shrink,
// and every member decrypts every other member's frames in each epoch.
import { DAVESession, type MediaType, type ProposalsOperationType } from '@snazzah/davey';
import { decodeKeyPackage } from 'ts-mls/keyPackage.js';
import { VoiceOpcodes } from 'discord-api-types/voice/v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaveCall, OP, varint } from './dave-server.js';
import { FakeVoiceServer } from './fake-voice-server.js';
import { selfSignedCert } from './tls.js';

const AUDIO = 0 as MediaType;
const APPEND = 0 as ProposalsOperationType;
const CHANNEL = '927310423890473011';
const [A, B, C] = ['158049329150427136', '158533742254751744', '158533742254751745'];
let voice: FakeVoiceServer;
let call: DaveCall;

beforeAll(async () => {
  voice = await new FakeVoiceServer(selfSignedCert()).start();
  call = await DaveCall.create(voice, CHANNEL);
});
afterAll(async () => {
  call?.close();
  await voice?.stop();
});

const frame = Buffer.from([0x78, ...Array.from({ length: 60 }, (_, i) => i)]);

function roundTrip(from: string, to: string): Buffer {
  const sealed = call.encryptor(from)(frame);
  return call.session(to)!.decrypt(from, AUDIO, sealed);
}

describe('DaveCall (external sender) with davey clients', () => {
  it('opcodes are the ones @discordjs/voice dispatches on (discord-api-types v8)', () => {
    expect(OP).toEqual({
      prepareTransition: VoiceOpcodes.DavePrepareTransition,
      executeTransition: VoiceOpcodes.DaveExecuteTransition,
      readyForTransition: VoiceOpcodes.DaveTransitionReady,
      prepareEpoch: VoiceOpcodes.DavePrepareEpoch,
      externalSender: VoiceOpcodes.DaveMlsExternalSender,
      keyPackage: VoiceOpcodes.DaveMlsKeyPackage,
      proposals: VoiceOpcodes.DaveMlsProposals,
      commitWelcome: VoiceOpcodes.DaveMlsCommitWelcome,
      announceCommit: VoiceOpcodes.DaveMlsAnnounceCommitTransition,
      welcome: VoiceOpcodes.DaveMlsWelcome,
      invalidCommitWelcome: VoiceOpcodes.DaveMlsInvalidCommitWelcome,
    });
  });

  it('RFC 9420 varints', () => {
    expect(varint(37)).toEqual(Buffer.from([37]));
    expect(varint(496)).toEqual(Buffer.from([0x41, 0xf0])); // davey's test vector: 496 bytes of proposals
    expect(varint(20000)).toEqual(Buffer.from([0x80, 0x00, 0x4e, 0x20]));
  });

  it('the external sender package is what davey accepts (signature key, basic credential)', () => {
    const pkg = call.externalSenderPackage;
    expect(pkg.subarray(0, 3)).toEqual(Buffer.from([0x40, 0x41, 0x04])); // 65-byte uncompressed P-256 point
    expect(pkg.subarray(-4)).toEqual(Buffer.from([0x00, 0x01, 0x01, 0x00]));
  });

  it('davey checks the external sender\'s signature: a proposal with one bit flipped is refused, the intact one committed', async () => {
    const other = new FakeVoiceServer(selfSignedCert());
    const solo = await DaveCall.create(other, CHANNEL);
    try {
      const a = await solo.join(A); // alone: pending group at epoch 0
      const joiner = new DAVESession(1, B, CHANNEL);
      joiner.setExternalSender(solo.externalSenderPackage);
      const msg = await solo.propose({ proposalType: 'add', add: { keyPackage: decodeKeyPackage(joiner.getSerializedKeyPackage(), 0)![0] } });
      const bad = Buffer.from(msg);
      bad[bad.length - 5]! ^= 0x01; // inside the DER signature, the last field of an external sender's PublicMessage
      expect(() => a.processProposals(APPEND, Buffer.concat([varint(bad.length), bad]), [B])).toThrow();
      expect(a.processProposals(APPEND, Buffer.concat([varint(msg.length), msg]), [B]).commit).toBeInstanceOf(Buffer);
    } finally {
      solo.close();
    }
  });

  it('two members form the group at epoch 1, a third joins (epoch 2), one leaves (epoch 3); frames decrypt across', async () => {
    const a = await call.join(A);
    expect(a.ready).toBe(false); // alone: only its pending group
    const b = await call.join(B);
    expect([a.ready, b.ready]).toEqual([true, true]);
    expect(a.epoch).toBe(1n);
    expect(b.epoch).toBe(1n);
    expect(a.voicePrivacyCode).toBe(b.voicePrivacyCode);
    expect(a.voicePrivacyCode).toMatch(/^\d{30}$/);
    expect(roundTrip(A, B)).toEqual(frame);
    expect(roundTrip(B, A)).toEqual(frame);

    const c = await call.join(C);
    expect([a.epoch, b.epoch, c.epoch]).toEqual([2n, 2n, 2n]);
    expect(call.leaves).toEqual([A, B, C]);
    expect(c.ownLeafIndex).toBe(2);
    expect(roundTrip(C, A)).toEqual(frame);
    expect(roundTrip(A, C)).toEqual(frame);

    await call.leave(B);
    expect([a.epoch, c.epoch]).toEqual([3n, 3n]);
    expect(call.leaves).toEqual([A, null, C]);
    expect(a.getUserIds().sort()).toEqual([A, C].sort());
    expect(roundTrip(C, A)).toEqual(frame);
    expect(a.voicePrivacyCode).toBe(c.voicePrivacyCode);

    // The blank leaf is reused (leftmost blank, RFC 9420 §12.1.1).
    const b2 = await call.join(B);
    expect(b2.ownLeafIndex).toBe(1);
    expect(call.leaves).toEqual([A, B, C]);
    expect(roundTrip(B, C)).toEqual(frame);
  });
});
