/**
 * The browser for the browser tests, driven by playwright-core (which downloads no browser).
 * Found in this order: `CC81_CHROMIUM`; a system chromium or chrome; else the headless chromium that
 * the npm package `@sparticuz/chromium` ships inside itself (Linux x64), so `npm ci && npm test`
 * needs nothing else installed. Without any of them the tests fail (never skip).
 */
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

export const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserSource = { kind: 'env' | 'system' | 'npm'; path: string };

export const missingChromiumMessage = (detail: string): string =>
  `The browser tests found no chromium: ${detail}. Run \`npm ci\` (it installs @sparticuz/chromium, which ships a ` +
  'headless chromium for Linux x64), install a system chromium, or set CC81_CHROMIUM to a chromium binary. ' +
  'These tests never skip: without a browser they fail.';

/** The npm-shipped chromium: unpacked once into the OS temp dir by the package itself. */
const npmChromium = async (): Promise<string> => {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(missingChromiumMessage(`@sparticuz/chromium runs only on Linux x64, not ${process.platform} ${process.arch}`));
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return sparticuz.executablePath();
};

/** Where the browser comes from; `env` and `paths` are parameters so the order can be tested. */
export const findChromium = async (env: NodeJS.ProcessEnv = process.env, paths: readonly string[] = SYSTEM_BROWSERS): Promise<BrowserSource> => {
  const fromEnv = env.CC81_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(missingChromiumMessage(`CC81_CHROMIUM is ${fromEnv}, which does not exist`));
    return { kind: 'env', path: fromEnv };
  }
  const system = paths.find((path) => existsSync(path));
  if (system) return { kind: 'system', path: system };
  return { kind: 'npm', path: await npmChromium() };
};

/** Launches headless chromium with a fresh profile (Playwright makes a temporary user-data dir per launch). */
export const launchChromium = async (): Promise<Browser> => {
  const { path } = await findChromium();
  return chromium.launch({ executablePath: path, args: CHROMIUM_ARGS, timeout: 30_000 });
};
