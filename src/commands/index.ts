// Every command the bot has, by name: used by the interaction router and by deploy-commands.
import type { Command } from '../bot/services.js';
import * as about from './about.js';
import * as analyze from './analyze.js';
import * as analyzeContext from './analyze-context.js';
import * as listen from './listen.js';
import * as optin from './optin.js';
import * as optout from './optout.js';
import * as settings from './settings.js';
import * as stop from './stop.js';

export const commands: readonly Command<any>[] = [analyze, analyzeContext, about, listen, stop, optout, optin, settings];

export const commandsByName: ReadonlyMap<string, Command<any>> = new Map(commands.map((c) => [c.data.name, c]));
