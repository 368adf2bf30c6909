#!/usr/bin/env node
/** Synthesizes the app from the compiled build (compiling first only when sources changed). cdk8s.yaml and `npm run synth` call it. */
'use strict';
const path = require('path');
const { ensureBuilt, ROOT } = require('./ensure-built');

ensureBuilt();
process.chdir(ROOT);
try {
  const step05 = require(path.join(ROOT, 'build', 'main.js'));
  step05.main();
  // the same app and configuration rendered for OpenShift AI 3.4 (Kueue v1beta2, deployment mode Standard)
  step05.main(path.join(ROOT, 'examples', 'dist-rhoai-3.4'), undefined, { platform: 'rhoai-3.4', pathPrefix: 'examples/dist-rhoai-3.4' });
  // the second app, beside the step-05 one: two teams on existing nodes of other clouds, other model sources
  require(path.join(ROOT, 'build', 'examples', 'two-teams.js')).main(path.join(ROOT, 'examples', 'dist'));
  // one app definition rendered for a fleet of two clusters, delivered by ApplicationSets
  require(path.join(ROOT, 'build', 'examples', 'fleet.js')).main(path.join(ROOT, 'examples', 'dist-fleet'));
  // the llm-d path: LLMInferenceServices with prefill/decode pools and a multi-node group, for OpenShift AI 3.0 and 3.4
  require(path.join(ROOT, 'build', 'examples', 'llm-d.js')).main(path.join(ROOT, 'examples', 'dist-llm-d'));
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
