// The bench scripts' command lines: --help prints the script's usage, and an unknown or malformed option is one line
// and exit 2 instead of node:util's stack trace.

/** `parse()`'s values (a parseArgs call whose options include `help`), or the usage printed and the process ended. */
export function argsOrExit<T extends { values: { help?: boolean } }>(parse: () => T, usage: string): T['values'] {
  let parsed: T;
  try {
    parsed = parse();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed.values;
}
