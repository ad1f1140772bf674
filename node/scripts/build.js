#!/usr/bin/env node
// Builds the native addon from source with cargo (release, or debug with ALIPREFETCH_NODE_PROFILE=debug) and
// copies it next to index.js as aliprefetch.node, which the loader takes before a platform package (`npm run build` in a git
// checkout; needs Rust). Published packages carry a prebuilt addon instead (scripts/pack.js).
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const profile = process.env.ALIPREFETCH_NODE_PROFILE === 'debug' ? 'debug' : 'release';
const args = ['build', '--locked', '-p', 'aliprefetch-node', '--manifest-path', path.join(root, 'Cargo.toml')];
if (profile === 'release') args.push('--release');
execFileSync('cargo', args, { stdio: 'inherit' });

const targetDir = process.env.CARGO_TARGET_DIR || path.join(root, 'target');
const library = { linux: 'libaliprefetch_node.so', darwin: 'libaliprefetch_node.dylib', win32: 'aliprefetch_node.dll' }[
  process.platform
];
if (!library) throw new Error(`aliprefetch: no build recipe for ${process.platform}`);
const out = path.join(__dirname, '..', 'aliprefetch.node');
// Copy to a new file and rename it into place, so a process that has the old one loaded keeps it.
fs.copyFileSync(path.join(targetDir, profile, library), `${out}.tmp`);
fs.renameSync(`${out}.tmp`, out);
console.error(`aliprefetch: built ${path.relative(process.cwd(), out)} (${profile})`);
