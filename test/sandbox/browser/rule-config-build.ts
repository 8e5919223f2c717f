/**
 * The rule config page's sandbox build (static/rule-config/build-sandbox), which the sandbox
 * serves in the Configure dialog's iframe. Tests build it when it is missing (Vite takes about a
 * second) and fail with the command to run when the build fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_RULE_CONFIG_BUILD, SANDBOX_BUILD_COMMAND } from '../../../sandbox/forge-ui';

export const ensureRuleConfigSandboxBuild = (): string => {
  if (existsSync(join(DEFAULT_RULE_CONFIG_BUILD, 'index.html'))) return DEFAULT_RULE_CONFIG_BUILD;
  try {
    execFileSync(process.execPath, [resolve('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'static/rule-config/vite.sandbox.config.mts', '--logLevel', 'warn'], {
      cwd: resolve(__dirname, '..', '..', '..'),
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (error) {
    const output = error && typeof error === 'object' && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
    throw new Error(`The rule config page's sandbox build is missing and building it failed. Run \`${SANDBOX_BUILD_COMMAND}\` and fix what it reports.\n${output}`);
  }
  if (!existsSync(join(DEFAULT_RULE_CONFIG_BUILD, 'index.html'))) {
    throw new Error(`The rule config page's sandbox build is missing (${DEFAULT_RULE_CONFIG_BUILD}). Run \`${SANDBOX_BUILD_COMMAND}\`.`);
  }
  return DEFAULT_RULE_CONFIG_BUILD;
};
