#!/usr/bin/env node
// `forge lint` without a login: the same LintService the CLI's lint command runs, over the same files,
// with Forge's client-side linters. Usage: node tools/forge/lint.js [--app DIR] [--env ENV] [--json]
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const appDir = path.resolve(arg('--app', path.join(__dirname, '..', '..')));
const environment = arg('--env', 'development'); // `forge lint`'s default environment
const asJson = process.argv.includes('--json');

// The permission linter fetches each product's OpenAPI document from developer.atlassian.com (REST scope
// checks). Offline, hand it documents through Forge's own USE_LOCAL_SWAGGER / LOCAL_*_SWAGGER switches: Jira's
// from CC81_JIRA_OPENAPI or ../shared/jira-openapi (beside the repository, as the contract tests read it), the
// products the app never calls as empty documents. Set all LOCAL_*_SWAGGER yourself to override.
const SWAGGER_VARS = ['LOCAL_JIRA_SWAGGER', 'LOCAL_JSM_SWAGGER', 'LOCAL_JSW_SWAGGER', 'LOCAL_CONF_SWAGGER', 'LOCAL_CONF_V2_SWAGGER', 'LOCAL_BB_SWAGGER'];
const userSwagger = Boolean(process.env.USE_LOCAL_SWAGGER) && SWAGGER_VARS.every((v) => process.env[v]);
const jiraOpenApi = process.env.CC81_JIRA_OPENAPI || path.join(__dirname, '..', '..', '..', 'shared', 'jira-openapi', 'jira-platform-v3.json');
const restScopesChecked = userSwagger ? 'LOCAL_*_SWAGGER' : fs.existsSync(jiraOpenApi) ? path.resolve(jiraOpenApi) : false;
if (!userSwagger) {
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc81-forge-lint-')), 'empty-openapi.json');
  fs.writeFileSync(empty, JSON.stringify({ paths: {} }));
  process.env.USE_LOCAL_SWAGGER = '1';
  for (const v of SWAGGER_VARS) process.env[v] = empty;
  if (restScopesChecked) process.env.LOCAL_JIRA_SWAGGER = restScopesChecked;
}
if (process.argv.includes('--require-rest-scopes') && !restScopesChecked) {
  console.error(`forge lint (offline): Jira's OpenAPI document is absent at ${jiraOpenApi}; REST scopes cannot be checked (set CC81_JIRA_OPENAPI).`);
  process.exit(2);
}

// Forge's readers work relative to the working directory, as under `forge lint`.
process.chdir(appDir);

const { ConfigFile, FileSystemReader, FileSystemWriter, StatsigReader, listGitIgnoreFiles, listTSConfigIncludeExclude } = require('@forge/cli-shared');
const { reportLintResults, problemCount } = require('@forge/lint');
const { LintService } = require('@forge/cli/out/service/lint-service');

/** Feature gates and dynamic configs at their built-in defaults (the CLI fetches them; offline it falls back to these). */
class OfflineStatsig extends StatsigReader {
  async checkGate() {
    return undefined;
  }
  async getDynamicConfig() {
    return undefined;
  }
}

const logger = {
  info: (m) => (asJson ? undefined : console.log(m)),
  warn: (m) => console.error(m),
  error: (m) => console.error(m),
  debug: () => undefined,
  trace: () => undefined,
};

/**
 * TypeScript files under src/ that `forge lint` would skip without a word: it parses a .ts file only when
 * tsconfig.json's include globs expand to that file (a bare "src" expands to the folder, not its files).
 */
async function tsFilesSkipped(reader) {
  const exclude = [...(await listGitIgnoreFiles(reader)), '.git', 'node_modules'];
  const files = (await reader.recursiveReadDir('./src', exclude)).filter((f) => /\.tsx?$/.test(f));
  const { include, exclude: tsExclude } = await listTSConfigIncludeExclude(reader);
  if (include.length === 0 && tsExclude.length === 0) return [];
  const inc = new Set(include);
  const exc = new Set(tsExclude);
  return files.filter((f) => !inc.has(path.resolve(f)) || exc.has(path.resolve(f)));
}

async function main() {
  const reader = new FileSystemReader();
  const skipped = await tsFilesSkipped(reader);
  if (skipped.length > 0) {
    console.error(`forge lint would skip ${skipped.length} TypeScript file(s) under src/, e.g. ${skipped[0]}: list files in tsconfig.json's include (src/**/*), not folders.`);
    process.exitCode = 1;
    return;
  }
  const configFile = new ConfigFile(reader, new FileSystemWriter());
  // No GraphQL client: 'client-side' leaves out only the server-side pre-deployment check, which uploads the manifest.
  const service = new LintService(configFile, reader, new OfflineStatsig(), undefined);
  const { lintResults } = await service.run(environment, { fix: false, linterMode: 'client-side' }, logger);
  const counts = problemCount(lintResults);
  if (asJson) {
    const problems = lintResults.flatMap((r) =>
      [...r.errors.map((e) => ({ ...e, severity: 'error' })), ...r.warnings.map((w) => ({ ...w, severity: 'warning' }))].map((p) => ({
        file: path.relative(appDir, path.resolve(r.file)),
        severity: p.severity,
        reference: p.reference,
        message: p.message,
        line: p.line,
      })),
    );
    console.log(JSON.stringify({ ...counts, restScopesChecked, problems }, null, 2));
  } else {
    reportLintResults(logger, lintResults);
    console.log(restScopesChecked ? `(Jira REST scopes checked against ${restScopesChecked})` : '(Jira REST scope checks skipped: no OpenAPI document; see tools/forge/lint.js)');
    console.log(`forge lint (offline, ${environment}): ${counts.errors} error(s), ${counts.warnings} warning(s)`);
  }
  process.exitCode = counts.errors > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(`forge lint (offline) could not run: ${e && e.stack ? e.stack : e}`);
  process.exitCode = 2;
});
