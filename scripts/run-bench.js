#!/usr/bin/env node
/** `npm run bench`: compiles when sources changed, then runs the benchmark (bench/run.ts). */
'use strict';
const path = require('path');
const { ensureBuilt, ROOT } = require('./ensure-built');

ensureBuilt();
require(path.join(ROOT, 'build', 'bench', 'run.js'));
