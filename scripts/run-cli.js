#!/usr/bin/env node
/** `npm run cli -- <command>`: the CLI from the checkout, compiled first when sources changed. */
'use strict';
const path = require('path');
const { ensureBuilt, ROOT } = require('./ensure-built');

ensureBuilt();
require(path.join(ROOT, 'build', 'lib', 'cli', 'main.js'))
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
