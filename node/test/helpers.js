'use strict';
// Shared by the tests: the language-neutral test data, and clients on an in-process emulator.

const fs = require('node:fs');
const path = require('node:path');
const aliprefetch = require('..');

const ROOT = path.resolve(__dirname, '..', '..');
const DOMAIN = 'play.example.com';
const RELAY_TASK = 'fd245384-4067-4f91-9d75-9666a6bc0001';
// A scheduled relay task in cn-shanghai starting in 2030, as the validation table expects.
const RELAY_FIXTURE = {
  task_id: RELAY_TASK,
  region: 'cn-shanghai',
  state: 'scheduled',
  start_time: '2030-01-01T00:00:00Z',
  end_time: '2030-01-02T00:00:00Z',
  source_urls: ['rtmp://origin.example.com/app/stream'],
};
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 };

function load(relative) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'));
}

function fixtures(extra = {}) {
  const { live = {}, ...rest } = extra;
  return { live: { pull_to_push_tasks: [RELAY_FIXTURE], preload: { seconds_to_complete: 1 }, ...live }, ...rest };
}

/** Runs `fn(emu)` with an emulator that is stopped afterwards. */
async function withEmulator(fixtureObject, fn) {
  const emu = await aliprefetch.Emulator.start({ fixtures: fixtureObject });
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

function clientOn(emu, options = {}) {
  return new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials, retry: FAST_RETRY, ...options });
}

function urls(prefix, n) {
  return Array.from({ length: n }, (_, i) => `rtmp://${DOMAIN}/${prefix}/s${i}`);
}

module.exports = { ROOT, DOMAIN, RELAY_TASK, FAST_RETRY, load, fixtures, withEmulator, clientOn, urls };
