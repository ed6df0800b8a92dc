# ser-bot image: Node 22, the Opus addon built for it, Debian's ffmpeg, running as the unprivileged `node` user.
# Build: docker build -t ser-bot .      Run one process: docker run --env-file .env ser-bot
# A fleet (PostgreSQL + two shard halves): docker compose up -d (see compose.yaml and the README).

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Toolchain for @discordjs/opus when no prebuilt binary matches (it then compiles against this Node's headers).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# npm ci runs the project's install scripts, so what they read comes first: postinstall checks that the Opus
# addon loads in this Node (scripts/ensure-native.mjs), prepare compiles src/ and the CLI to dist/ with tsc
# (scripts/build.mjs, a dev dependency) and copies assets/ beside the compiled code.
COPY scripts ./scripts
COPY src ./src
COPY assets ./assets
# ffmpeg-static is optional (Debian's ffmpeg is in the final image); npm ci carries on if its download fails.
# Then only the production dependencies are kept: the image runs dist/ with plain Node.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "new (require('@discordjs/opus').OpusEncoder)(48000, 2); console.log('opus addon ok')" \
 && node -e "require('node:fs').accessSync('dist/src/bot/main.js')"

FROM node:22-bookworm-slim
# tini as PID 1 forwards SIGTERM/SIGINT to Node and reaps zombies (ffmpeg children).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# As `npm start`: two malloc arenas (glibc otherwise keeps one per thread with the pages an analysis freed), and
# blocks of 16 KB and more mapped and unmapped on their own, so what a burst of work freed goes back to the system.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=16384 \
    LOG_FORMAT=json \
    FFMPEG_PATH=/usr/bin/ffmpeg
COPY --from=build /app/node_modules ./node_modules
# The compiled bot (dist/src), with the charts' bundled font beside it (dist/assets).
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY models ./models
# The embedded SQLite store (DATABASE_URL unset) lives in /app/data: mount a volume there to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# /healthz and /metrics when METRICS_PORT is set (with METRICS_HOST=0.0.0.0 so they can be reached from outside).
EXPOSE 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
# Node itself, not npm: npm would sit between tini and Node and not pass signals on.
CMD ["node", "--max-semi-space-size=1", "--optimize-for-size", "dist/src/bot/main.js"]
