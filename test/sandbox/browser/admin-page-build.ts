/**
 * The admin page's sandbox build (static/admin-page/build-sandbox), which the sandbox serves in
 * /sandbox/admin's iframe. Built when missing; a failed build fails the test with the command to run.
 * `ensureSandboxBuild` is generic (the panel's and rule config page's helpers could use it too).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMIN_PAGE_BUILD_COMMAND, DEFAULT_ADMIN_PAGE_BUILD } from '../../../sandbox/forge-ui';

export const ensureSandboxBuild = (build: { dir: string; viteConfig: string; command: string; what: string }): string => {
  if (existsSync(join(build.dir, 'index.html'))) return build.dir;
  try {
    execFileSync(process.execPath, [resolve('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', build.viteConfig, '--logLevel', 'warn'], {
      cwd: resolve(__dirname, '..', '..', '..'),
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (error) {
    const output = error && typeof error === 'object' && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
    throw new Error(`${build.what}'s sandbox build is missing and building it failed. Run \`${build.command}\` and fix what it reports.\n${output}`);
  }
  if (!existsSync(join(build.dir, 'index.html'))) throw new Error(`${build.what}'s sandbox build is missing (${build.dir}). Run \`${build.command}\`.`);
  return build.dir;
};

export const ensureAdminPageSandboxBuild = (): string =>
  ensureSandboxBuild({ dir: DEFAULT_ADMIN_PAGE_BUILD, viteConfig: 'static/admin-page/vite.sandbox.config.mts', command: ADMIN_PAGE_BUILD_COMMAND, what: 'The admin page' });
