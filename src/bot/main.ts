// `npm start`: read the config, start the bot, log health, and stop gracefully on a signal, when npm is gone, or after a fatal bug.
import { locateFfmpeg } from '../core/audio/index.js';
import { StartupError, startBot, type RunningBot } from './app.js';
import { configOrExit, environment } from './config.js';
import { createLogger } from './logger.js';
import { exitIfNodeTooOld } from './node-version.js';
import { Shutdown, stopOn } from './shutdown.js';

exitIfNodeTooOld();
const env = environment();
const config = configOrExit(env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });

let bot: RunningBot | undefined;
const shutdown = new Shutdown({
  stop: () => bot?.stop() ?? Promise.resolve(),
  log,
  exit: (code) => process.exit(code),
  // stop() keeps to SHUTDOWN_TIMEOUT_SECONDS, then closes the gateway and the store; past that and 10 s, exit anyway.
  forceAfterMs: config.shutdownTimeoutMs + 10_000,
});
// Before start-up (logging in can take a minute when Discord is slow): a bug or a signal then ends as gracefully.
stopOn(shutdown, env);

const ffmpegPath = await locateFfmpeg({ ...env, FFMPEG_PATH: config.ffmpegPath ?? undefined });

try {
  bot = await startBot(config, { log, ffmpegPath });
} catch (e) {
  if (!(e instanceof StartupError)) throw e;
  log.fatal({ err: e.cause }, e.message);
  process.stderr.write(`ser-bot: ${e.message}\n`);
  process.exitCode = 2;
  log.flush();
  // Let the log transport drain; nothing else is running.
  setTimeout(() => process.exit(2), 500).unref();
}


