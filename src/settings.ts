// Settings from an environment object, shared by every front door that reads them (bot, CLI).

export type Env = Record<string, string | undefined>;

/** A setting that is missing or wrong; `message` is one line that names it and says how to fix it (never a secret). */
export class SettingError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}

/** The trimmed value, or undefined when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}
