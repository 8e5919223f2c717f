/**
 * Lints code snippets as if they were files at given paths, against the real eslint.config.mjs.
 * ESLint loads that config (and the local plugins) with a native dynamic `import()`, which Jest's
 * module sandbox refuses without `--experimental-vm-modules`, so the API runs in one child `node`
 * process that lints every snippet in a single batch.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface Message {
  ruleId: string | null;
  message: string;
  line: number;
  fatal?: boolean;
}

export interface Job {
  code: string;
  filePath: string;
}

const LINT_SCRIPT = `
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
const { cwd, jobs } = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd });
const out = [];
for (const { code, filePath } of jobs) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.map(({ ruleId, message, line, fatal }) => ({ ruleId, message, line, fatal })));
}
process.stdout.write(JSON.stringify(out));
`;

export const lintAll = (jobs: Job[]): Message[][] => {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_SCRIPT], {
    cwd: repoRoot,
    input: JSON.stringify({ cwd: repoRoot, jobs }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Message[][];
};
