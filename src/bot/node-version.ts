// The Node the bot runs on, checked before anything needs it: the built-in SQLite store (node:sqlite, the default)
// needs no flag from Node 22.13, and @discordjs/voice 0.19 needs 22.12.
const MIN = [22, 13] as const;

/** Why this Node cannot run the bot, or null. */
export function nodeTooOld(version = process.versions.node): string | null {
  const [major, minor] = version.split('.').map(Number);
  if (major! > MIN[0] || (major === MIN[0] && minor! >= MIN[1])) return null;
  return `Node ${version} is too old: ser-bot needs Node ${MIN.join('.')} or newer (\`npm start\` runs the Node 22 that \`npm install\` put in node_modules; or nvm install 22).`;
}

/** Stops the process with that line (exit 2): the first thing the bot and the shard manager do. */
export function exitIfNodeTooOld(): void {
  const why = nodeTooOld();
  if (!why) return;
  process.stderr.write(`ser-bot: ${why}\n`);
  process.exit(2);
}
