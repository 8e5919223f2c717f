/**
 * The issue panel's sandbox build (static/issue-panel/build-sandbox), which the sandbox serves in
 * the issue view's iframe. Tests build it when it is missing and fail with the command to run when
 * the build fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_ISSUE_PANEL_BUILD, ISSUE_PANEL_BUILD_COMMAND } from '../../../sandbox/forge-ui';

export const ensureIssuePanelSandboxBuild = (): string => {
  if (existsSync(join(DEFAULT_ISSUE_PANEL_BUILD, 'index.html'))) return DEFAULT_ISSUE_PANEL_BUILD;
  try {
    execFileSync(process.execPath, [resolve('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'static/issue-panel/vite.sandbox.config.mts', '--logLevel', 'warn'], {
      cwd: resolve(__dirname, '..', '..', '..'),
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (error) {
    const output = error && typeof error === 'object' && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
    throw new Error(`The issue panel's sandbox build is missing and building it failed. Run \`${ISSUE_PANEL_BUILD_COMMAND}\` and fix what it reports.\n${output}`);
  }
  if (!existsSync(join(DEFAULT_ISSUE_PANEL_BUILD, 'index.html'))) {
    throw new Error(`The issue panel's sandbox build is missing (${DEFAULT_ISSUE_PANEL_BUILD}). Run \`${ISSUE_PANEL_BUILD_COMMAND}\`.`);
  }
  return DEFAULT_ISSUE_PANEL_BUILD;
};
