#!/usr/bin/env node
// The `cc81` command in this repository: runs the compiled CLI (cli/dist, built by `npm run build:cli`).
'use strict';
const path = require('node:path');

const entry = path.join(__dirname, '..', 'cli', 'dist', 'cc81.cjs');
try {
  require.resolve(entry);
} catch {
  process.stderr.write(`cc81: ${path.relative(process.cwd(), entry) || entry} is missing; run \`npm run build:cli\` first.\n`);
  process.exit(70);
}
require(entry);
