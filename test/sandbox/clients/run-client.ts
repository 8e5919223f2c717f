/** Runs a client flow script against a sandbox and reads back the JSON line it prints. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export interface ClientRun {
  code: number;
  seen: Record<string, unknown> | null;
  stderr: string;
}

export const runClient = (command: string, script: string, url: string, timeoutMs = 60_000): Promise<ClientRun> =>
  new Promise((done) => {
    execFile(command, [resolve(__dirname, script), url], { timeout: timeoutMs, env: { ...process.env, NODE_NO_WARNINGS: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const line = stdout.trim().split('\n').at(-1) ?? '';
      let seen: Record<string, unknown> | null = null;
      try {
        seen = line ? (JSON.parse(line) as Record<string, unknown>) : null;
      } catch {
        seen = null;
      }
      done({ code, seen, stderr });
    });
  });
