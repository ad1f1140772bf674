#!/usr/bin/env node
'use strict';
// `npx aliprefetch`: the same command as the Rust binary, run in this process by the native addon.

const { runCli } = require('..');

process.exitCode = runCli(process.argv.slice(2));
