/* The `cc81` command: the entry point of the build (npm run build:cli bundles it into cli/dist/cc81.cjs, which bin/cc81.js runs). */
import { removePendingWrites } from './atomic-write';
import { EXIT } from './cli-errors';
import { runCli } from './run-cli';

// Interrupted: remove half-written output, then exit as a shell expects (128 + signal number).
for (const [signal, code] of [['SIGINT', EXIT.interrupted], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    removePendingWrites();
    process.stderr.write(`\ncc81: interrupted; nothing was written.\n`);
    process.exit(code);
  });
}

void runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}).then((code) => {
  process.exitCode = code;
});
