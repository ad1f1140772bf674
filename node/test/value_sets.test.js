'use strict';
// The TypeScript unions index.d.ts re-exports from value-sets.d.ts are the core's value sets
// (tests/value_sets.json; a Rust test generates both from the core and keeps them current).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const root = path.resolve(__dirname, '..', '..');

test('every value set of the core is declared in value-sets.d.ts with the same members in order', () => {
  const sets = JSON.parse(fs.readFileSync(path.join(root, 'tests', 'value_sets.json'), 'utf8'));
  const index = fs.readFileSync(path.join(root, 'node', 'index.d.ts'), 'utf8');
  assert.ok(index.includes("export * from './value-sets';"), 'index.d.ts re-exports them');
  const dts = fs.readFileSync(path.join(root, 'node', 'value-sets.d.ts'), 'utf8');
  for (const [name, members] of Object.entries(sets)) {
    const found = dts.match(new RegExp(`export type ${name} =([^;]+);`));
    assert.ok(found, `value-sets.d.ts declares ${name}`);
    const declared = [...found[1].matchAll(/'([^']*)'/g)].map((m) => m[1]);
    assert.deepEqual(declared, members, name);
  }
});
