// The /listen sessions of this process (one per guild) and the opt-out list, shared by the voice commands.
// Shard-local by design: a guild's interactions and its voice connection live on the shard that owns it.
import { Events, type Client } from 'discord.js';
import type { Services } from '../services.js';
import { OptOutStore } from './optout-store.js';
import type { EndReason, ListenSession } from './session.js';

export interface ListenContext {
  sessions: Map<string, ListenSession>;
  optOuts: OptOutStore;
}

const contexts = new WeakMap<Services, ListenContext>();

/** The context for this bot; the first call also starts forwarding voice state changes to sessions. */
export function listenContext(services: Services, client: Client): ListenContext {
  let ctx = contexts.get(services);
  if (!ctx) {
    const created: ListenContext = { sessions: new Map(), optOuts: new OptOutStore(services.config.listen.optOutPath) };
    client.on(Events.VoiceStateUpdate, (before, after) => created.sessions.get(after.guild.id)?.onVoiceStateUpdate(before, after));
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
