// Every command the bot has, by name: used by the interaction router and by deploy-commands.
import type { Command } from '../bot/services.js';
import * as about from './about.js';
import * as analyze from './analyze.js';
import * as analyzeContext from './analyze-context.js';

export const commands: readonly Command<any>[] = [analyze, analyzeContext, about];

export const commandsByName: ReadonlyMap<string, Command<any>> = new Map(commands.map((c) => [c.data.name, c]));
