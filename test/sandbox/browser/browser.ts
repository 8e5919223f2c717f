/**
 * Launching Debian's chromium through playwright-core for the browser tests. playwright-core
 * downloads no browser: the tests need /usr/bin/chromium (`apt-get install chromium`), and fail
 * (never skip) without it.
 */
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CC81_CHROMIUM ?? '/usr/bin/chromium';

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

export const missingChromiumMessage = (path: string = CHROMIUM_PATH): string =>
  `The browser tests need Debian's chromium at ${path}, and it is missing. Install it with ` +
  '`sudo apt-get install chromium` (CI does this in .ci/run), or set CC81_CHROMIUM to a chromium binary. ' +
  'These tests never skip: without a browser they fail.';

/** Launches headless chromium with a fresh profile (Playwright makes a temporary user-data dir per launch). */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(missingChromiumMessage());
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
};
