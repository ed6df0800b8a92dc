// Settings for running more than one process: DATABASE_URL, SHARDS + SHARD_COUNT, METRICS_PORT/HOST.
import { expect, it } from 'vitest';
import { loadConfig, readShards } from '../../src/bot/config.js';

const ok = { DISCORD_TOKEN: 'MTAxMDEwMTAxMDEwMTAxMDEw.GxYzAb.abcdefghijklmnopqrstuvwxyz0123', DISCORD_CLIENT_ID: '123456789012345678' };

it('defaults: SQLite in data/, every shard in this process, no metrics endpoint', () => {
  const c = loadConfig(ok);
  expect(c.database).toEqual({ kind: 'sqlite', path: 'data/ser-bot.db' });
  expect(c.shards).toBeNull();
  expect(c.metrics).toBeNull();
});

it('DATABASE_URL: postgres URLs and sqlite paths; anything else names the setting', () => {
  expect(loadConfig({ ...ok, DATABASE_URL: 'postgres://ser:pw@db:5432/ser' }).database).toEqual({ kind: 'postgres', url: 'postgres://ser:pw@db:5432/ser' });
  expect(loadConfig({ ...ok, DATABASE_URL: 'sqlite:/var/lib/ser/bot.db' }).database).toEqual({ kind: 'sqlite', path: '/var/lib/ser/bot.db' });
  expect(() => loadConfig({ ...ok, DATABASE_URL: 'mysql://db/ser' })).toThrow(/DATABASE_URL must be sqlite:<file>.*or postgres:\/\//);
});

it('SHARDS: ranges and lists below SHARD_COUNT; the ShardingManager’s own form too', () => {
  expect(readShards({ SHARDS: '0-3', SHARD_COUNT: '8' })).toEqual({ ids: [0, 1, 2, 3], count: 8 });
  expect(readShards({ SHARDS: '4,5', SHARD_COUNT: '8' })).toEqual({ ids: [4, 5], count: 8 });
  expect(readShards({ SHARDS: '6-7, 0', SHARD_COUNT: '8' })).toEqual({ ids: [0, 6, 7], count: 8 });
  expect(readShards({ SHARDS: '1', SHARD_COUNT: '2' })).toEqual({ ids: [1], count: 2 }); // what ShardingManager sets
  expect(readShards({ SHARDS: '[0,1]', SHARD_COUNT: '2' })).toEqual({ ids: [0, 1], count: 2 });
  expect(readShards({})).toBeNull();
  expect(() => readShards({ SHARDS: '0-8', SHARD_COUNT: '8' })).toThrow(/below SHARD_COUNT \(8\)/);
  expect(() => readShards({ SHARDS: '3-1', SHARD_COUNT: '8' })).toThrow(/SHARDS must list/);
  expect(() => readShards({ SHARDS: 'all', SHARD_COUNT: '8' })).toThrow(/SHARDS must list/);
  expect(() => readShards({ SHARDS: '0-3' })).toThrow(/SHARDS and SHARD_COUNT go together/);
  expect(() => readShards({ SHARD_COUNT: '4' })).toThrow(/SHARDS and SHARD_COUNT go together/);
});

it('METRICS_PORT turns the endpoint on, on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
  expect(loadConfig({ ...ok, METRICS_PORT: '9464' }).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
  expect(loadConfig({ ...ok, METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 9100 });
  expect(() => loadConfig({ ...ok, METRICS_PORT: 'http' })).toThrow(/METRICS_PORT must be a whole number from 1 to 65535/);
  // An address alone serves nothing: said, not ignored.
  expect(() => loadConfig({ ...ok, METRICS_HOST: '0.0.0.0' })).toThrow(/METRICS_HOST is set but METRICS_PORT is not/);
});
