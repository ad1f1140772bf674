'use strict';
// The README's Node quickstart is examples/quickstart.mjs, and both README examples print what the README shows.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test } = require('node:test');
const { ROOT } = require('./helpers');

function section() {
  const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = text.indexOf('## Node quickstart');
  return text.slice(start, text.indexOf('\n## ', start + 1));
}

/** Each js block with the text block that follows it. */
function examples() {
  const out = [];
  for (const [, lang, body] of section().matchAll(/```(js|text)\n([\s\S]*?)```/g)) {
    if (lang === 'js') out.push({ code: body, shown: null });
    else if (out.length && out.at(-1).shown === null) out.at(-1).shown = body;
  }
  return out;
}

test('the quickstart is examples/quickstart.mjs, and prints what the README shows', () => {
  const [quickstart] = examples();
  const file = path.join(__dirname, '..', 'examples', 'quickstart.mjs');
  assert.equal(quickstart.code, fs.readFileSync(file, 'utf8'));
  assert.equal(execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 }), quickstart.shown);
});

test('the CommonJS example prints what the README shows', () => {
  const cjs = examples()[1];
  // Inside the package, so `require('aliprefetch')` resolves to it.
  const file = path.join(__dirname, '..', 'examples', '.readme-commonjs.cjs');
  fs.writeFileSync(file, cjs.code);
  try {
    assert.equal(execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 }), cjs.shown);
  } finally {
    fs.rmSync(file);
  }
});

test('package.json carries the workspace version', () => {
  const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const workspaceVersion = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1];
  assert.equal(require('../package.json').version, workspaceVersion);
  assert.equal(require('..').version, workspaceVersion);
});
