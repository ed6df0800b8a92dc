// DAVE (Discord's end-to-end encryption for voice, https://daveprotocol.com) for the loopback voice server:
// the server is the MLS group's external sender, as Discord's voice gateway is. It signs Add/Remove proposals
// (op 27) with its own P-256 key (ts-mls, RFC 9420), relays the winning commit (op 29) and welcome (op 30), and
// runs transitions (ops 22, 23). Simulated speakers are real DAVE clients (@snazzah/davey, the library the bot
// uses) that join the group and encrypt their Opus frames before the transport encryption.
import { p256 } from '@noble/curves/nist.js';
import { DAVESession, type ProposalsOperationType } from '@snazzah/davey';
import {
  decodeMlsMessage,
  encodeExternalSender,
  encodeMlsMessage,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  proposeExternal,
  type CiphersuiteImpl,
  type ExternalSender,
  type GroupContext,
  type GroupInfo,
  type Proposal,
} from 'ts-mls';
import { decodeKeyPackage } from 'ts-mls/keyPackage.js';
import type { BotLink, FakeVoiceServer } from './fake-voice-server.js';

/** DAVE protocol version 1 = MLS ciphersuite 2. */
export const DAVE_VERSION = 1;
const CIPHERSUITE = 'MLS_128_DHKEMP256_AES128GCM_SHA256_P256';
// davey's enums are `const enum`s, which this project's verbatimModuleSyntax cannot read: the values.
const APPEND = 0 as ProposalsOperationType;

/** Voice gateway opcodes of DAVE (the whitepaper's numbering, as in discord-api-types' VoiceOpcodes). */
export const OP = {
  prepareTransition: 21,
  executeTransition: 22,
  readyForTransition: 23,
  prepareEpoch: 24,
  externalSender: 25,
  keyPackage: 26,
  proposals: 27,
  commitWelcome: 28,
  announceCommit: 29,
  welcome: 30,
  invalidCommitWelcome: 31,
} as const;

/** RFC 9420 §2.1.2 variable-length integer (the length prefix of `opaque<V>`). */
export function varint(n: number): Buffer {
  if (n < 1 << 6) return Buffer.from([n]);
  if (n < 1 << 14) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((0x80000000 | n) >>> 0);
  return b;
}

/** The MLS group id DAVE uses: the channel id as a big-endian u64. */
function groupIdOf(channelId: string): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(channelId));
  return b;
}

type Member = { userId: string; sim: DAVESession } | { userId: string; bot: BotLink };

/** What the server saw and did, in order: the tests assert on it. */
export interface DaveEvent {
  dir: 'in' | 'out';
  op: number;
  userId: string;
  transitionId?: number;
  epoch?: number;
  detail?: string;
}

interface Waiter {
  op: number;
  userId: string;
  accept(payload: { d: any; binary: Buffer | null }): boolean;
  resolve(v: { op: number; d: any; binary: Buffer | null } | null): void;
  timer: NodeJS.Timeout;
}

/**
 * One voice channel's DAVE group as the voice server runs it. Group changes run one at a time
 * (one proposal per commit, so where each new member lands in the tree is never ambiguous).
 */
export class DaveCall {
  readonly events: DaveEvent[] = [];
  /** Epoch of the group (0: nobody has committed yet; a lone first member has only its pending group). */
  epoch = 0n;
  /** Leaf index → user id (null = blank leaf), kept the way RFC 9420 §12.1.1 places and §12.3 truncates. */
  leaves: (string | null)[] = [];
  /** The next op 29 to the bot is damaged in transit (its membership tag no longer verifies). */
  tamperNextCommitToBot = false;
  /** The next op 30 to the bot is damaged in transit (its encrypted group info no longer opens). */
  tamperNextWelcomeToBot = false;
  /** Milliseconds between the bots' op 23 and op 22 (Discord waits for every member: a slow one keeps the window open). */
  executeDelayMs = 0;
  /** How long a bot may take to answer (op 28, op 23 or op 31) before the server goes on without it. */
  answerTimeoutMs = 10_000;
  /** 1, or 0 after a downgrade (op 21): members then send their frames in the clear. */
  protocolVersion = DAVE_VERSION;
  private readonly members = new Map<string, Member>();
  private readonly sims = new Map<string, DAVESession>();
  private readonly bots = new Map<string, BotLink>();
  private queue: Promise<unknown> = Promise.resolve();
  private waiters = new Set<Waiter>();
  private transitionId = 0;
  private packageBytes!: Buffer;
  private signKey!: Uint8Array;
  private publicKey!: Uint8Array;
  private sender!: ExternalSender;
  private cs!: CiphersuiteImpl;

  private constructor(
    readonly voice: FakeVoiceServer,
    readonly channelId: string,
  ) {}

  /** Makes the external sender's key and plugs DAVE into `voice`, which then offers protocol version 1. */
  static async create(voice: FakeVoiceServer, channelId: string): Promise<DaveCall> {
    const call = new DaveCall(voice, channelId);
    call.cs = await getCiphersuiteImpl(getCiphersuiteFromName(CIPHERSUITE));
    const { signKey } = await call.cs.signature.keygen();
    call.signKey = signKey;
    // ts-mls's keygen gives the compressed point (33 bytes); Discord sends the uncompressed one (65 bytes, 0x04…),
    // which is what davey's test vectors hold. Both verify in davey; send what Discord sends.
    call.publicKey = p256.getPublicKey(signKey, false);
    // Discord's voice gateway uses a basic credential with a one-byte identity (davey's test vectors).
    call.sender = { signaturePublicKey: call.publicKey, credential: { credentialType: 'basic', identity: new Uint8Array([0]) } };
    call.packageBytes = Buffer.from(encodeExternalSender(call.sender));
    voice.daveProtocolVersion = DAVE_VERSION;
    voice.hooks = {
      sessionStarted: (bot) => call.botConnected(bot),
      message: (bot, op, d, binary) => call.fromBot(bot, op, d, binary),
      closed: (bot) => call.botClosed(bot),
    };
    return call;
  }

  /** Op 25 payload: the serialized ExternalSender (signature key + credential). */
  get externalSenderPackage(): Buffer {
    return this.packageBytes;
  }

  /** A simulated speaker joins the call: a fresh davey session, its key package, the group change. Resolves once it is in. */
  join(userId: string): Promise<DAVESession> {
    const s = new DAVESession(DAVE_VERSION, userId, this.channelId);
    s.setExternalSender(this.packageBytes);
    this.sims.set(userId, s);
    for (const bot of this.bots.values()) bot.sendJson(11, { user_ids: [userId] }); // op 11 first: the bot only accepts Adds of users it knows are connected
    const kp = s.getSerializedKeyPackage();
    return this.serial(async () => {
      await this.add({ userId, sim: s }, kp);
      return s;
    });
  }

  /** A simulated speaker leaves: op 13 to the bot, then a Remove proposal and a new epoch. */
  leave(userId: string): Promise<void> {
    this.sims.delete(userId);
    for (const bot of this.bots.values()) bot.sendJson(13, { user_id: userId });
    return this.serial(() => this.remove(userId));
  }

  /** The speaker's DAVE encryption of one Opus frame (what a Discord client does before the transport encryption). */
  encryptor(userId: string): (opus: Buffer) => Buffer {
    if (!this.sims.has(userId)) throw new Error(`dave: ${userId} is not a simulated member`);
    // After a downgrade the client's frames go out in the clear; it looks its session up each time (an upgrade replaces it).
    return (opus) => (this.protocolVersion === 0 ? opus : this.sims.get(userId)!.encryptOpus(opus));
  }

  /**
   * Downgrade to protocol 0 (what Discord does when a client without DAVE joins): op 21 with a transition id,
   * every bot answers op 23, op 22 executes it. Members send in the clear from `clearAt`: 'prepare' = already
   * during the transition (receivers allow passthrough from op 21), 'execute' = once it has executed.
   */
  downgrade(clearAt: 'prepare' | 'execute' = 'prepare'): Promise<number> {
    return this.serial(async () => {
      const tid = ++this.transitionId;
      if (clearAt === 'prepare') this.protocolVersion = 0;
      await this.transition(tid, (bot) => bot.sendJson(OP.prepareTransition, { transition_id: tid, protocol_version: 0 }));
      this.protocolVersion = 0;
      return tid;
    });
  }

  /**
   * Back to protocol 1 (op 24, epoch 1): a new group from scratch. Simulated members start new sessions and
   * form it; each bot re-initializes on op 24 and sends a new key package, which adds it.
   */
  upgrade(): Promise<void> {
    return this.serial(async () => {
      this.leaves = [];
      this.epoch = 0n;
      for (const bot of this.bots.values()) {
        bot.sendJson(OP.prepareEpoch, { protocol_version: DAVE_VERSION, epoch: 1 });
        this.log('out', OP.prepareEpoch, bot.identify.user_id, { epoch: 1 });
      }
      for (const [userId, old] of [...this.sims]) {
        old.reset();
        const s = new DAVESession(DAVE_VERSION, userId, this.channelId);
        s.setExternalSender(this.packageBytes);
        this.sims.set(userId, s);
        await this.add({ userId, sim: s }, s.getSerializedKeyPackage());
      }
      this.protocolVersion = DAVE_VERSION;
    });
  }

  session(userId: string): DAVESession | undefined {
    return this.sims.get(userId);
  }

  /** Resolves when every queued group change has run. */
  settled(): Promise<void> {
    return this.serial(async () => undefined);
  }

  /** Whether `userId` is a member of the current epoch's group, as the server tracks it. */
  isMember(userId: string): boolean {
    return this.leaves.includes(userId);
  }

  /** Ends every simulated member's session. */
  close(): void {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters.clear();
    for (const s of this.sims.values()) s.reset();
    this.sims.clear();
  }

  // ---- the bot's side of the wire -------------------------------------------------------------

  private botConnected(bot: BotLink): void {
    const userId = bot.identify.user_id;
    this.bots.set(userId, bot);
    // Who is in the call (op 11), then the external sender (op 25). The bot's key package (op 26)
    // may already be on its way: the library sends it as soon as SESSION_DESCRIPTION says version 1.
    const present = [...this.sims.keys()];
    if (present.length) bot.sendJson(11, { user_ids: present });
    bot.sendBinary(OP.externalSender, this.packageBytes);
    this.log('out', OP.externalSender, userId);
  }

  private botClosed(bot: BotLink): void {
    const userId = bot.identify.user_id;
    if (this.bots.get(userId) !== bot) return;
    this.bots.delete(userId);
    void this.serial(() => this.remove(userId));
  }

  private fromBot(bot: BotLink, op: number, d: any, binary: Buffer | null): void {
    const userId = bot.identify.user_id;
    this.log('in', op, userId, { transitionId: d?.transition_id });
    for (const w of [...this.waiters]) {
      if (w.userId === userId && w.op === op && w.accept({ d, binary })) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve({ op, d, binary });
      }
    }
    if (op === OP.keyPackage && binary) {
      // A first key package, or a new one after the bot gave up on a commit/welcome (op 31): the old
      // member (if any) is removed, then the new key package is added.
      const kp = Buffer.from(binary);
      void this.serial(async () => {
        if (this.bots.get(userId) !== bot) return;
        if (this.isMember(userId)) await this.remove(userId);
        await this.add({ userId, bot }, kp);
      });
    }
  }

  private waitFor(userId: string, op: number, ms: number, accept: Waiter['accept'] = () => true): Promise<{ op: number; d: any; binary: Buffer | null } | null> {
    return new Promise((resolve) => {
      const w: Waiter = { op, userId, accept, resolve, timer: setTimeout(() => (this.waiters.delete(w), resolve(null)), ms) };
      this.waiters.add(w);
    });
  }

  // ---- the group ------------------------------------------------------------------------------

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private log(dir: 'in' | 'out', op: number, userId: string, extra: Partial<DaveEvent> = {}): void {
    this.events.push({ dir, op, userId, ...extra });
  }

  /** A proposal from the external sender (sender index 0), for the current epoch, as an MLSMessage. */
  async propose(proposal: Proposal): Promise<Buffer> {
    const groupContext: GroupContext = {
      version: 'mls10',
      cipherSuite: CIPHERSUITE,
      groupId: groupIdOf(this.channelId),
      epoch: this.epoch,
      treeHash: new Uint8Array(),
      confirmedTranscriptHash: new Uint8Array(),
      extensions: [{ extensionType: 'external_senders', extensionData: this.packageBytes }],
    };
    // proposeExternal reads only the group context (external senders sign no GroupContext: RFC 9420 §6.1).
    const msg = await proposeExternal({ groupContext } as GroupInfo, proposal, this.publicKey, this.signKey, this.cs);
    return Buffer.from(encodeMlsMessage(msg));
  }

  private current(): Member[] {
    return this.leaves.filter((u): u is string => u !== null).map((u) => this.members.get(u)!);
  }

  private async add(joiner: Member, keyPackage: Buffer): Promise<void> {
    const decoded = decodeKeyPackage(keyPackage, 0);
    if (!decoded) throw new Error(`dave: unreadable key package from ${joiner.userId}`);
    this.members.set(joiner.userId, joiner);
    if (this.leaves.every((u) => u === null)) {
      // First member: its own pending group (epoch 0, itself at leaf 0) is the group until someone joins.
      this.leaves = [joiner.userId];
      this.epoch = 0n;
      return;
    }
    const proposal = await this.propose({ proposalType: 'add', add: { keyPackage: decoded[0] } });
    await this.change(proposal, this.current(), [joiner], () => {
      const blank = this.leaves.indexOf(null);
      if (blank >= 0) this.leaves[blank] = joiner.userId;
      else this.leaves.push(joiner.userId);
    });
  }

  private async remove(userId: string): Promise<void> {
    const leaf = this.leaves.indexOf(userId);
    if (leaf < 0) return;
    const rest = this.current().filter((m) => m.userId !== userId);
    const apply = () => {
      this.leaves[leaf] = null;
      while (this.leaves.length && this.leaves.at(-1) === null) this.leaves.pop();
    };
    if (rest.length === 0) {
      apply();
      this.epoch = 0n;
      return;
    }
    const proposal = await this.propose({ proposalType: 'remove', remove: { removed: leaf } });
    await this.change(proposal, rest, [], apply);
  }

  /**
   * One group change: op 27 to every member that stays, the first valid commit wins (simulated members
   * answer at once; the bot over its WebSocket), op 29 announces it to them, op 30 welcomes the joiners,
   * and once every bot said ready (op 23) op 22 executes the transition.
   *
   * Simulated members take the commit or welcome only once every bot has answered op 23 (or 31): davey
   * switches a sender's key as soon as it processes a commit, so a member that did so at once would send
   * new-epoch frames before a bot could have their key (it is still on its way over the bot's WebSocket),
   * and under load those frames arrived first and failed to decrypt. A libdave client switches at op 22,
   * which comes after every op 23; switching at the last op 23 is the earliest any real member could, and
   * still before op 22 (`executeDelayMs` keeps that gap open).
   */
  private async change(proposal: Buffer, committers: Member[], joiners: Member[], applyToTree: () => void): Promise<void> {
    const payload = Buffer.concat([Buffer.from([APPEND]), varint(proposal.length), proposal]);
    const recognized = [...new Set([...this.members.keys(), ...this.sims.keys()])];
    let winner: { commit: Buffer; welcome: Buffer | null; from: string } | null = null;
    const botAnswers: Promise<void>[] = [];
    for (const m of committers) {
      if ('sim' in m) {
        const r = m.sim.processProposals(APPEND, payload.subarray(1), recognized);
        if (r.commit && !winner) winner = { commit: r.commit, welcome: r.welcome ?? null, from: m.userId };
      } else {
        const answer = this.waitFor(m.userId, OP.commitWelcome, this.answerTimeoutMs, ({ binary }) => !!binary && this.commitEpoch(binary) === this.epoch);
        m.bot.sendBinary(OP.proposals, payload);
        this.log('out', OP.proposals, m.userId, { epoch: Number(this.epoch) });
        botAnswers.push(
          answer.then((a) => {
            if (!a?.binary || winner) return;
            const [commit, welcome] = this.splitCommitWelcome(a.binary);
            winner = { commit, welcome, from: m.userId };
          }),
        );
      }
    }
    if (!winner) await Promise.all(botAnswers);
    if (!winner) throw new Error(`dave: nobody committed epoch ${this.epoch}`);
    const w = winner as { commit: Buffer; welcome: Buffer | null; from: string };
    const tid = ++this.transitionId;
    const from = this.epoch;
    applyToTree();
    this.epoch = from + 1n;
    const readies: Promise<unknown>[] = [];
    const simulated: (() => void)[] = [];
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(tid);
    for (const m of committers) {
      if ('sim' in m) {
        simulated.push(() => m.sim.processCommit(w.commit));
        continue;
      }
      let commit = w.commit;
      if (this.tamperNextCommitToBot) {
        this.tamperNextCommitToBot = false;
        commit = Buffer.from(commit);
        commit[commit.length - 1]! ^= 0x01;
      }
      readies.push(this.waitFor(m.userId, OP.readyForTransition, this.answerTimeoutMs, ({ d }) => d?.transition_id === tid));
      readies.push(this.waitFor(m.userId, OP.invalidCommitWelcome, this.answerTimeoutMs, ({ d }) => d?.transition_id === tid));
      m.bot.sendBinary(OP.announceCommit, Buffer.concat([prefix, commit]));
      this.log('out', OP.announceCommit, m.userId, { transitionId: tid, epoch: Number(this.epoch), detail: commit === w.commit ? `from ${w.from}` : 'tampered' });
    }
    for (const m of joiners) {
      if (!w.welcome) throw new Error('dave: a commit that adds someone came without a welcome');
      if ('sim' in m) {
        const welcome = w.welcome;
        simulated.push(() => m.sim.processWelcome(welcome));
        continue;
      }
      readies.push(this.waitFor(m.userId, OP.readyForTransition, this.answerTimeoutMs, ({ d }) => d?.transition_id === tid));
      readies.push(this.waitFor(m.userId, OP.invalidCommitWelcome, this.answerTimeoutMs, ({ d }) => d?.transition_id === tid));
      let welcome = w.welcome;
      if (this.tamperNextWelcomeToBot) {
        this.tamperNextWelcomeToBot = false;
        welcome = Buffer.from(welcome);
        welcome[welcome.length - 1]! ^= 0x01;
      }
      m.bot.sendBinary(OP.welcome, Buffer.concat([prefix, welcome]));
      this.log('out', OP.welcome, m.userId, { transitionId: tid, epoch: Number(this.epoch), detail: welcome === w.welcome ? undefined : 'tampered' });
    }
    await this.execute(tid, readies, [...committers, ...joiners].flatMap((m) => ('bot' in m ? [m.bot] : [])), () => simulated.forEach((f) => f()));
  }

  /** Sends `prepare` to every bot, then waits for their op 23 and executes (op 22). */
  private async transition(tid: number, prepare: (bot: BotLink) => void): Promise<void> {
    const bots = [...this.bots.values()];
    const readies: Promise<unknown>[] = [];
    for (const bot of bots) {
      const userId = bot.identify.user_id;
      readies.push(this.waitFor(userId, OP.readyForTransition, this.answerTimeoutMs, ({ d }) => d?.transition_id === tid));
      readies.push(this.waitFor(userId, OP.invalidCommitWelcome, this.answerTimeoutMs, ({ d }) => d?.transition_id === tid));
      prepare(bot);
      this.log('out', OP.prepareTransition, userId, { transitionId: tid });
    }
    await this.execute(tid, readies, bots);
  }

  /** Each bot answers op 23 (ready) or op 31 (invalid), the first of each pair settles it; then `ready()`, then op 22 to `bots`. */
  private async execute(tid: number, readies: Promise<unknown>[], bots: BotLink[], ready: () => void = () => undefined): Promise<void> {
    const perBot: Promise<unknown>[] = [];
    for (let i = 0; i < readies.length; i += 2) perBot.push(Promise.race([readies[i], readies[i + 1]]));
    await Promise.all(perBot);
    for (const w of [...this.waiters]) {
      if ((w.op === OP.readyForTransition || w.op === OP.invalidCommitWelcome) && w.accept({ d: { transition_id: tid }, binary: null })) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(null);
      }
    }
    ready();
    if (this.executeDelayMs) await new Promise((r) => setTimeout(r, this.executeDelayMs));
    for (const bot of bots) {
      const userId = bot.identify.user_id;
      if (this.bots.get(userId) !== bot) continue;
      bot.sendJson(OP.executeTransition, { transition_id: tid });
      this.log('out', OP.executeTransition, userId, { transitionId: tid });
    }
  }

  /** Op 28 carries the commit MLSMessage, then (when it adds someone) a bare Welcome. */
  private splitCommitWelcome(buf: Buffer): [Buffer, Buffer | null] {
    const decoded = decodeMlsMessage(buf, 0);
    if (!decoded) throw new Error('dave: op 28 does not start with an MLSMessage');
    const end = decoded[1];
    return [buf.subarray(0, end), end < buf.length ? buf.subarray(end) : null];
  }

  /** The epoch a commit (op 28 payload) was made for, or -1 when it is not a public commit. */
  private commitEpoch(buf: Buffer): bigint {
    const decoded = decodeMlsMessage(buf, 0);
    const m = decoded?.[0] as any;
    if (m?.wireformat !== 'mls_public_message' || m.publicMessage.content.contentType !== 'commit') return -1n;
    return m.publicMessage.content.epoch as bigint;
  }
}
