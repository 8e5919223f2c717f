/** `npm run mutate:named`: each mutant of NAMED_MUTANTS in turn, its tests, the file restored. Exit 1 on a survivor. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NAMED_MUTANTS, occurrences } from './named-classes';

const root = path.resolve(__dirname, '../..');
const only = process.argv.slice(2);
let restore: (() => void) | undefined;
process.on('SIGINT', () => {
  restore?.();
  process.exit(130);
});

const survived: string[] = [];
for (const mutant of NAMED_MUTANTS.filter((m) => only.length === 0 || only.some((o) => m.name.includes(o)))) {
  const file = path.join(root, mutant.file);
  const original = readFileSync(file, 'utf8');
  const count = occurrences(original, mutant.from);
  if (count !== 1) {
    console.error(`${mutant.name}: the text to mutate occurs ${count} times in ${mutant.file}; update tools/mutation/named-classes.ts`);
    process.exit(2);
  }
  restore = () => writeFileSync(file, original);
  writeFileSync(file, original.replace(mutant.from, mutant.to));
  try {
    const run = spawnSync('npx', ['jest', '--silent', ...mutant.tests], { cwd: root, encoding: 'utf8' });
    const tally = /^Tests:.*$/m.exec(`${run.stdout}\n${run.stderr}`)?.[0] ?? '(no tally)';
    const killed = run.status !== 0 && /failed/.test(tally);
    if (!killed) survived.push(mutant.name);
    console.log(`${killed ? 'killed  ' : 'SURVIVED'}  ${mutant.name}  (${mutant.file}; ${tally.replace(/\s+/g, ' ')})`);
  } finally {
    restore();
    restore = undefined;
  }
}
if (survived.length) {
  console.error(`${survived.length} named mutant(s) survived: ${survived.join('; ')}`);
  process.exit(1);
}
