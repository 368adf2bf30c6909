#!/usr/bin/env node
/**
 * Replays the calibration observations through the planner and writes what follows from them:
 * docs/planner-accuracy.md (the published accuracy) and lib/catalog/data/calibration.json (which catalog GPUs the
 * planner is calibrated on). Runs on any observation file of the same form:
 *   node scripts/planner-accuracy.js [observations.json] [model-architectures.json]
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { ensureBuilt, ROOT } = require('./ensure-built');

const DEFAULT_DIR = path.join(ROOT, '..', 'shared', 'calibration');

/** The two files' text, from the observations (and architectures) given. */
function derive(observations, architectures) {
  ensureBuilt();
  const { replayCalibration, startUpsPerGpu } = require(path.join(ROOT, 'build', 'lib', 'planning', 'calibration.js'));
  const { plannerAccuracyReport } = require(path.join(ROOT, 'build', 'lib', 'planning', 'accuracy-report.js'));
  const rows = replayCalibration(observations, architectures);
  const origin = `the calibration data's ${path.basename(observations)} (${rows.length} observations)`;
  return {
    'docs/planner-accuracy.md': plannerAccuracyReport(rows, origin),
    'lib/catalog/data/calibration.json': `${JSON.stringify({ $comment: 'Derived by scripts/planner-accuracy.js from the calibration observations: replayed vLLM start-ups per catalog GPU.', startUpsPerGpu: startUpsPerGpu(rows) }, null, 2)}\n`,
  };
}

module.exports = { derive, DEFAULT_DIR };

if (require.main === module) {
  const observations = process.argv[2] ?? path.join(DEFAULT_DIR, 'observations.json');
  const architectures = process.argv[3] ?? path.join(path.dirname(observations), 'model-architectures.json');
  for (const [file, text] of Object.entries(derive(observations, architectures))) {
    fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
    fs.writeFileSync(path.join(ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}
