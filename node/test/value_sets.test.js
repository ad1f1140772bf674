'use strict';
// The TypeScript unions in index.d.ts are the core's value sets (tests/value_sets.json, checked against the
// core by a Rust test).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const root = path.resolve(__dirname, '..', '..');

test('every value set of the core is declared in index.d.ts with the same members in order', () => {
  const sets = JSON.parse(fs.readFileSync(path.join(root, 'tests', 'value_sets.json'), 'utf8'));
  const dts = fs.readFileSync(path.join(root, 'node', 'index.d.ts'), 'utf8');
  for (const [name, members] of Object.entries(sets)) {
    const found = dts.match(new RegExp(`export type ${name} =([^;]+);`));
    assert.ok(found, `index.d.ts declares ${name}`);
    const declared = [...found[1].matchAll(/'([^']*)'/g)].map((m) => m[1]);
    assert.deepEqual(declared, members, name);
  }
});
