#!/usr/bin/env node
// Runs the Forge CLI pinned in tools/forge (npm run forge -- <command>), or says how to install it.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, 'node_modules', '@forge', 'cli', 'out', 'bin', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('The Forge CLI is not installed: run `npm run tools:forge` first (installs tools/forge).');
  process.exit(2);
}
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
