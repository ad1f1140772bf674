#!/usr/bin/env node
// aliprefetch for Node side by side with @alicloud/pop-core (the official Node RPC client, V1), in one run against
// the same release emulator (quotas lifted, every signature verified): sequential calls per second, 100
// concurrent calls, and the addon's size and require time. Prints a Markdown table. Loopback only.
//
//     node benchmarks/bench.js        (after `npm install`, which builds the release addon)
'use strict';

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..', '..');
const DOMAIN = 'play.example.com';
const LIFTED = {
  quotas: { SetLiveStreamPreloadTasks: 0, DescribeLiveStreamPreloadTasks: 0, HotLiveRtcStream: 0, UpdateLivePullToPush: 0, RefreshMediaPlayUrls: 0 },
};

async function releaseEmulator() {
  execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'aliprefetch-emulator', '--bin', 'aliprefetch-emulator'], { cwd: ROOT, stdio: 'inherit' });
  const fixtures = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aliprefetch-bench-')), 'fixtures.json');
  fs.writeFileSync(fixtures, JSON.stringify(LIFTED));
  const binary = path.join(ROOT, 'target', 'release', 'aliprefetch-emulator');
  const proc = spawn(binary, ['--listen', '127.0.0.1:0', '--log', 'warn', '--fixtures', fixtures], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]);
  return { host: line.trim().replace('listening on http://', ''), stop: () => proc.kill('SIGTERM') };
}

async function sequential(fn, calls) {
  await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn();
  return calls / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function concurrent(fn, inFlight, rounds) {
  await fn();
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) await Promise.all(Array.from({ length: inFlight }, fn));
  return (inFlight * rounds) / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Median milliseconds to require `module` in fresh processes. */
function requireTime(module, runs = 7) {
  const code = `const s = process.hrtime.bigint(); require(${JSON.stringify(module)}); console.log(Number(process.hrtime.bigint() - s) / 1e6)`;
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['-e', code], { cwd: path.join(__dirname, '..'), encoding: 'utf8' })));
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function dirSize(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') total += dirSize(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** Bytes on disk of a package and everything it depends on, and how many packages that is. */
function installedSize(name, from, seen = new Map()) {
  const manifest = require.resolve(`${name}/package.json`, { paths: [from] });
  const dir = path.dirname(manifest);
  if (seen.has(dir)) return seen;
  seen.set(dir, dirSize(dir));
  for (const dep of Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).dependencies ?? {})) {
    installedSize(dep, dir, seen);
  }
  return seen;
}

async function main() {
  const { Client, Credentials } = require('..');
  const { RPCClient } = require('@alicloud/pop-core');
  const emu = await releaseEmulator();
  try {
    const ours = new Client({ endpoint: emu.host, credentials: new Credentials('testid', 'testsecret'), rateLimits: 'disabled' });
    const official = new RPCClient({ accessKeyId: 'testid', accessKeySecret: 'testsecret', endpoint: `http://${emu.host}`, apiVersion: '2016-11-01' });
    const oursCall = () => ours.describeLiveStreamPreloadTasks({ domainName: DOMAIN, pageSize: 10 });
    const officialCall = () => official.request('DescribeLiveStreamPreloadTasks', { DomainName: DOMAIN, PageSize: 10 }, { method: 'POST' });
    // Ours and the Rust client's own rate on the same emulator alternate over five rounds (medians), so the
    // ratio is what the Node boundary costs.
    execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'aliprefetch', '--example', 'client_timing'], { cwd: ROOT, stdio: 'inherit' });
    const timing = path.join(ROOT, 'target', 'release', 'examples', 'client_timing');
    const oursRounds = [];
    const rustRounds = [];
    for (let i = 0; i < 5; i++) {
      oursRounds.push(await sequential(oursCall, 1000));
      rustRounds.push(JSON.parse(execFileSync(timing, [emu.host, '1000', '0', '1'], { encoding: 'utf8' })).sequential_per_s);
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const seq = [await sequential(officialCall, 1000), median(oursRounds)];
    const rust = median(rustRounds);
    const conc = [await concurrent(officialCall, 100, 20), await concurrent(oursCall, 100, 20)];
    const addon = fs.statSync(path.join(__dirname, '..', 'aliprefetch.node')).size;
    const popCore = installedSize('@alicloud/pop-core', __dirname);
    const popCoreBytes = [...popCore.values()].reduce((a, b) => a + b, 0);
    const req = [requireTime('@alicloud/pop-core'), requireTime('aliprefetch')];
    console.log(`Node ${process.version}, emulator at ${emu.host}\n`);
    console.log('| | @alicloud/pop-core (V1) | aliprefetch (V3) | ratio |');
    console.log('| --- | --- | --- | --- |');
    console.log(`| sequential calls | ${seq[0].toFixed(0)} /s | ${seq[1].toFixed(0)} /s | ${(seq[1] / seq[0]).toFixed(1)}× |`);
    console.log(`| the Rust client, same emulator, same run (medians of 5 alternating rounds) | | ${rust.toFixed(0)} /s | Node at ${(seq[1] / rust).toFixed(2)}× Rust |`);
    console.log(`| 100 concurrent calls | ${conc[0].toFixed(0)} /s | ${conc[1].toFixed(0)} /s | ${(conc[1] / conc[0]).toFixed(1)}× |`);
    console.log(`| require time (median of 7) | ${req[0].toFixed(1)} ms | ${req[1].toFixed(1)} ms | |`);
    console.log(
      `| installed size | ${(popCoreBytes / 1048576).toFixed(1)} MiB (${popCore.size} packages) | ${(addon / 1048576).toFixed(1)} MiB (the addon, emulator included; no dependencies) | |`,
    );
  } finally {
    emu.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
