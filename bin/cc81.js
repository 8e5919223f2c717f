#!/usr/bin/env node
// The `cc81` command: runs cli/main.ts through ts-node (installed by `npm ci`), types unchecked.
'use strict';
const path = require('node:path');

require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
require(path.join(__dirname, '..', 'cli', 'main.ts'));
