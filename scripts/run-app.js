#!/usr/bin/env node
/** Synthesizes the app from the compiled build (compiling first only when sources changed). cdk8s.yaml and `npm run synth` call it. */
'use strict';
const path = require('path');
const { ensureBuilt, ROOT } = require('./ensure-built');

ensureBuilt();
process.chdir(ROOT);
try {
  require(path.join(ROOT, 'build', 'main.js')).main();
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
