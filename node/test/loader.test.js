'use strict';
// The loader: ALIPREFETCH_NATIVE_PATH, then a local build, then the platform package; the native version must be
// the package's; when nothing loads, the error names what was looked for and how to build from source.

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const aliprefetch = require('..');

const here = path.resolve(__dirname, '..');

/** A copy of the loader in a folder of its own, loaded in a fresh process with `env`. */
function loadCopy({ version, env }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliprefetch-loader-'));
  try {
    fs.copyFileSync(path.join(here, 'index.js'), path.join(dir, 'index.js'));
    fs.copyFileSync(path.join(here, 'errors.js'), path.join(dir, 'errors.js'));
    const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version: version ?? pkg.version }));
    const clean = { ...process.env };
    delete clean.ALIPREFETCH_NATIVE_PATH;
    return spawnSync(process.execPath, ['-e', "console.log(require('./index.js').version)"], {
      cwd: dir,
      env: { ...clean, ...env },
      encoding: 'utf8',
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The addon this test run loaded (the override, or the local build). */
function loadedAddon() {
  return process.env.ALIPREFETCH_NATIVE_PATH ?? path.join(here, 'aliprefetch.node');
}

test('with no addon anywhere the error names the packages looked for and how to build', () => {
  const r = loadCopy({});
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no native addon for linux-x64/);
  assert.match(r.stderr, /the package @aliprefetch\/linux-x64-gnu \(not installed\)/);
  assert.match(r.stderr, /a local build \(not installed\)/);
  assert.match(r.stderr, /npm run build/);
});

test('ALIPREFETCH_NATIVE_PATH is loaded first, and a version other than the package is refused', () => {
  const ok = loadCopy({ env: { ALIPREFETCH_NATIVE_PATH: loadedAddon() } });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), aliprefetch.version);
  const other = loadCopy({ version: '9.9.9', env: { ALIPREFETCH_NATIVE_PATH: loadedAddon() } });
  assert.notEqual(other.status, 0);
  assert.match(other.stderr, new RegExp(`is version ${aliprefetch.version.replace(/\./g, '\\.')}, but this package is 9\\.9\\.9`));
});

test('an override that does not load says so, naming the variable', () => {
  const r = loadCopy({ env: { ALIPREFETCH_NATIVE_PATH: '/nonexistent/aliprefetch.node' } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /ALIPREFETCH_NATIVE_PATH \(\/nonexistent\/aliprefetch\.node\) does not load/);
});

test('runCli runs the command in-process and returns its exit code', () => {
  const r = spawnSync(process.execPath, [path.join(here, 'bin', 'aliprefetch.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `aliprefetch ${aliprefetch.version}`);
  const usage = spawnSync(process.execPath, [path.join(here, 'bin', 'aliprefetch.js'), 'live', 'nope'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
});
