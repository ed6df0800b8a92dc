import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: feature extraction and the Discord emulator are CPU-bound; more forks only thrash.
    pool: 'forks',
    maxWorkers: 2,
  },
});
