#!/usr/bin/env node
// Full @forge/manifest validation (schema, modules, resources, handler files, permissions) of an app
// directory, with the @forge/manifest that app installs. Usage: node tools/forge/validate-manifest.js [--app DIR]
'use strict';

const path = require('node:path');

const i = process.argv.indexOf('--app');
const appDir = path.resolve(i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : path.join(__dirname, '..', '..'));
process.chdir(appDir);
const entry = require.resolve('@forge/manifest', { paths: [appDir] });
const { validate } = require(entry);
const { version } = require(path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}out${path.sep}`)), 'package.json'));

validate(false, path.join(appDir, 'manifest.yml'))
  .then((result) => {
    const all = result.errors ?? [];
    const errors = all.filter((e) => e.level !== 'warning');
    for (const e of all) console.log(`${e.level ?? 'error'}: ${e.message} (manifest.yml line ${e.line ?? '?'})`);
    const valid = errors.length === 0 && result.manifestObject?.typedContent !== undefined;
    console.log(`@forge/manifest ${version} validate: ${valid ? 'valid' : 'INVALID'}, ${errors.length} error(s), ${all.length - errors.length} warning(s)`);
    process.exitCode = valid ? 0 : 1;
  })
  .catch((e) => {
    console.error(`@forge/manifest validate could not run: ${e && e.stack ? e.stack : e}`);
    process.exitCode = 2;
  });
