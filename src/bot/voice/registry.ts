// The /listen sessions of this process (one per guild), shared by the voice commands.
// Shard-local by design: a guild's interactions and its voice connection live on the shard that owns it.
// Opt-outs are not: the store announces each one, from any process, and every running session here drops that user.
import { Events, type Client } from 'discord.js';
import type { Services } from '../services.js';
import type { EndReason, ListenSession } from './session.js';

export interface ListenContext {
  sessions: Map<string, ListenSession>;
}

const contexts = new WeakMap<Services, ListenContext>();

/** The context for this bot; the first call also starts forwarding voice state changes and opt-outs to sessions. */
export function listenContext(services: Services, client: Client): ListenContext {
  let ctx = contexts.get(services);
  if (!ctx) {
    const created: ListenContext = { sessions: new Map() };
    client.on(Events.VoiceStateUpdate, (before, after) => created.sessions.get(after.guild.id)?.onVoiceStateUpdate(before, after));
    // Running sessions drop them now, with whatever they had said: nothing of theirs stays in a summary.
    services.store.on('optOut', (userId) => {
      for (const session of created.sessions.values()) session.forget(userId);
      services.log.debug({ userId, sessions: created.sessions.size }, 'opt-out received');
    });
    contexts.set(services, created);
    ctx = created;
  }
  return ctx;
}

/** Ends every session (shutdown): each posts its summary. */
export async function stopAllSessions(services: Services, reason: EndReason = 'shutdown'): Promise<void> {
  const ctx = contexts.get(services);
  if (ctx) await Promise.allSettled([...ctx.sessions.values()].map((s) => s.stop(reason)));
}

/** Running sessions and the speakers they follow (for metrics); zero before the first /listen. */
export function listenLoad(services: Services): { sessions: number; speakers: number } {
  const ctx = contexts.get(services);
  let speakers = 0;
  for (const s of ctx?.sessions.values() ?? []) speakers += s.speakers.size;
  return { sessions: ctx?.sessions.size ?? 0, speakers };
}
