// `npm start`: read the config, start the bot, log health, and stop gracefully on SIGINT/SIGTERM.
import { locateFfmpeg } from '../core/audio/index.js';
import { StartupError, startBot } from './app.js';
import { configOrExit, environment } from './config.js';
import { createLogger } from './logger.js';

const env = environment();
const config = configOrExit(env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });

// A stray rejection is a bug to fix, not a reason to drop every user's request: log it and carry on.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

const ffmpegPath = await locateFfmpeg({ ...env, FFMPEG_PATH: config.ffmpegPath ?? undefined });

let bot;
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

if (bot) {
  const running = bot;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'signal received');
    running.stop().then(
      () => {
        process.exitCode = 0;
        // Everything is closed; if some handle still holds the loop, do not hang the supervisor.
        setTimeout(() => process.exit(0), 2_000).unref();
      },
      (err) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
