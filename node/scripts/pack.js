#!/usr/bin/env node
// Packs the npm packages the napi-rs way, into OUT (default ../target/dist/npm):
//   aliprefetch-<v>.tgz                  the JS loader (CJS + ESM), types, the CLI entry; no install script;
//                                        the platform packages as optionalDependencies at the exact version
//   aliprefetch-linux-x64-gnu-<v>.tgz    @aliprefetch/linux-x64-gnu: the addon, with os/cpu/libc fields
// Usage: node scripts/pack.js ADDON [OUT]   (ADDON: the built cdylib, e.g. a glibc-2.17 build by cargo-zigbuild)
// A release pipeline with more runners passes more platforms; this machine builds linux-x64-gnu.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = path.resolve(__dirname, '..');
const [addon, outArg] = process.argv.slice(2);
if (!addon) {
  console.error('usage: node scripts/pack.js ADDON [OUT]');
  process.exit(2);
}
const out = path.resolve(outArg ?? path.join(here, '..', 'target', 'dist', 'npm'));
const stage = path.join(here, '..', 'target', 'npm-stage');
const main = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));

// Each platform this run packs: [npm platform, cpu, libc, addon file].
const platforms = [{ suffix: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc', file: addon }];

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

function pack(dir) {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }).trim();
  console.error(`aliprefetch: packed ${path.join(out, name.split('\n').pop())}`);
}

for (const p of platforms) {
  const dir = path.join(stage, p.suffix);
  fs.mkdirSync(dir, { recursive: true });
  const nodeFile = `aliprefetch.${p.suffix}.node`;
  fs.copyFileSync(p.file, path.join(dir, nodeFile));
  fs.copyFileSync(path.join(here, '..', 'LICENSE'), path.join(dir, 'LICENSE'));
  const pkg = {
    name: `@aliprefetch/${p.suffix}`,
    version: main.version,
    description: `The native addon of aliprefetch for ${p.os} ${p.cpu} (${p.libc}); installed by the aliprefetch package`,
    license: main.license,
    repository: main.repository,
    main: nodeFile,
    files: [nodeFile, 'LICENSE', 'README.md'],
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    engines: main.engines,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# @aliprefetch/${p.suffix}\n\nThe prebuilt native addon of [aliprefetch](https://www.npmjs.com/package/aliprefetch) for ${p.os} ${p.cpu} (${p.libc}). Install \`aliprefetch\`, not this package.\n`,
  );
  pack(dir);
}

// The main package: the files it lists, its package.json without the development fields, and the
// platform packages as optional dependencies at exactly this version.
const dir = path.join(stage, 'aliprefetch');
for (const file of main.files) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.copyFileSync(path.join(here, file), path.join(dir, file));
}
const published = { ...main };
delete published.devDependencies;
delete published.scripts;
published.optionalDependencies = Object.fromEntries(platforms.map((p) => [`@aliprefetch/${p.suffix}`, main.version]));
fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
pack(dir);
