# ser-bot image: Node 22, the Opus addon built for it, Debian's ffmpeg, running as the unprivileged `node` user.
# Build: docker build -t ser-bot .      Run one process: docker run --env-file .env ser-bot
# A fleet (PostgreSQL + two shard halves): docker compose up -d (see compose.yaml and the README).

FROM node:22-bookworm-slim AS deps
WORKDIR /app
# Toolchain for @discordjs/opus when no prebuilt binary matches (it then compiles against this Node's headers).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci runs the project's postinstall (it checks that the Opus addon loads in this Node).
COPY scripts/ensure-native.mjs ./scripts/
# ffmpeg-static is optional (Debian's ffmpeg is in the final image); npm ci carries on if its download fails.
RUN npm ci --omit=dev --no-audit --no-fund \
 && node -e "new (require('@discordjs/opus').OpusEncoder)(48000, 2); console.log('opus addon ok')"

FROM node:22-bookworm-slim
# tini as PID 1 forwards SIGTERM/SIGINT to Node and reaps zombies (ffmpeg children).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Two malloc arenas: glibc otherwise keeps one per thread with the pages an analysis freed (issue 15's measurement).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    LOG_FORMAT=json \
    FFMPEG_PATH=/usr/bin/ffmpeg
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY models ./models
# The charts' bundled font.
COPY assets ./assets
# The embedded SQLite store (DATABASE_URL unset) lives in /app/data: mount a volume there to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# /healthz and /metrics when METRICS_PORT is set (with METRICS_HOST=0.0.0.0 so they can be reached from outside).
EXPOSE 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
# Node itself, not npm: npm would sit between tini and Node and not pass signals on.
CMD ["node", "--max-semi-space-size=1", "--import", "tsx", "src/bot/main.ts"]
