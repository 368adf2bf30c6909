#!/usr/bin/env node
/** Rewrites the rules table of docs/reference/validate-and-check.md from the rules' metadata: `npm run docs`. */
'use strict';
const fs = require('fs');
const path = require('path');
const { ensureBuilt, ROOT } = require('./ensure-built');

ensureBuilt();
const { REGISTERED_RULES } = require(path.join(ROOT, 'build', 'lib', 'check', 'registry.js'));
const { fixtureLinks, rulesMarkdownTable, RULES_TABLE_START, RULES_TABLE_END } = require(path.join(ROOT, 'build', 'lib', 'check', 'rules-table.js'));
const RULES_PAGE = path.join('docs', 'reference', 'validate-and-check.md');
const file = path.join(ROOT, RULES_PAGE);
const readme = fs.readFileSync(file, 'utf8');
const start = readme.indexOf(RULES_TABLE_START);
const end = readme.indexOf(RULES_TABLE_END);
if (start < 0 || end < start) throw new Error(`${RULES_PAGE} has no ${RULES_TABLE_START} … ${RULES_TABLE_END} section`);
const table = rulesMarkdownTable(REGISTERED_RULES, fixtureLinks(ROOT));
fs.writeFileSync(file, `${readme.slice(0, start + RULES_TABLE_START.length)}\n${table}\n${readme.slice(end)}`);
console.log(`${RULES_PAGE}: ${REGISTERED_RULES.length} rules`);
