/** What people expect of a command: help for every subcommand, exit codes, progress on stderr only, no partial files. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removePendingWrites, writeDirectoryAtomic, writeFileAtomic } from '../../cli/atomic-write';
import { EXIT, OutputError } from '../../cli/cli-errors';
import { COMMANDS } from '../../cli/help';
import { exportPages, memoryIo, PERIOD, run, Sandbox, startDemoFiles, tempDir, writeJson } from './cli-fixture';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: string;
let policyFile: string;
let source: string[];
beforeAll(async () => {
  ({ sandbox, dir, policyFile } = await startDemoFiles());
  source = ['--export', writeJson(dir, 'export.json', await exportPages(sandbox)), '--policy', policyFile];
});
afterAll(async () => sandbox.close());

describe('help', () => {
  it('lists the commands and the exit codes', async () => {
    const { code, io } = await run(['--help']);
    expect(code).toBe(EXIT.ok);
    for (const command of COMMANDS) expect(io.stdoutText).toContain(`  ${command}`);
    expect(io.stdoutText).toContain('Exit codes:');
  });

  it.each(COMMANDS)('cc81 %s --help documents the command and its exit codes', async (command) => {
    const { code, io } = await run([command, '--help']);
    expect(code).toBe(EXIT.ok);
    expect(io.stdoutText).toMatch(new RegExp(`^Usage: cc81 ${command} `));
    // Every command reads a policy, except the one that writes a starting one and the gate call.
    expect(io.stdoutText).toContain(command === 'policy' ? '--site URL' : command === 'gate' ? '--url URL' : '--policy FILE');
    // The gate talks to the gate, not to Jira: its exit codes are its own.
    expect(io.stdoutText).toContain(command === 'gate' ? `${EXIT.denied}   denied: do not deploy` : `${EXIT.jira}   Jira: bad credentials (401)`);
    expect(io.stderrText).toBe('');
  });

  it('without a command: the help on stderr, exit 2', async () => {
    const { code, io } = await run([]);
    expect(code).toBe(EXIT.usage);
    expect(io.stdoutText).toBe('');
    expect(io.stderrText).toContain('Usage: cc81 <command>');
  });
});

describe('usage errors exit 2 and point to --help', () => {
  it.each([
    [['frobnicate'], "Unknown command 'frobnicate'"],
    [['audit', '--bogus'], "Unknown option '--bogus'"],
    [['audit', '--policy', 'p.json', ...PERIOD], 'Give one source'],
    [['sample', '--export', 'e.json', '--policy', 'p.json', ...PERIOD, '--seed', '1'], '--size is required'],
    [['sample', '--export', 'e.json', '--policy', 'p.json', ...PERIOD, '--size', '3', '--seed', '4.5'], '--seed must be a whole number'],
    [['audit', '--export', 'e.json', '--policy', 'p.json', ...PERIOD, '--format', 'xml'], '--format must be json or table'],
    [['evidence', '--export', 'e.json', '--policy', 'p.json', ...PERIOD, '--size', '3', '--seed', '1'], '--out is required'],
    [['review', '--export', 'e.json', '--policy', 'p.json', '--quarter', '2026Q5'], '--quarter: use YEARQn'],
    [['population', '--export', 'e.json', '--policy', 'p.json', '--from', '2026-02-30', '--to', '2026-03-01'], '--from: not a calendar date'],
  ])('%j', async (argv, message) => {
    const { code, io } = await run(argv);
    expect(code).toBe(EXIT.usage);
    expect(io.stderrText).toContain(message);
    expect(io.stdoutText).toBe('');
  });
});

describe('exit codes of the audit', () => {
  it('--fail-on-findings exits 1 when there are exceptions', async () => {
    expect((await run(['audit', ...source, ...PERIOD])).code).toBe(EXIT.ok);
    expect((await run(['audit', ...source, ...PERIOD, '--fail-on-findings'])).code).toBe(EXIT.findings);
  });

  it('--fail-on-findings exits 0 on a clean population', async () => {
    const clean = writeJson(dir, 'clean.json', await exportPages(sandbox, 'key in (CHG-1, CHG-2, CHG-3)'));
    const { code, io } = await run(['audit', '--export', clean, '--policy', policyFile, ...PERIOD, '--format', 'json', '--fail-on-findings']);
    const report = JSON.parse(io.stdoutText) as { tickets: { key: string }[] };
    expect(report.tickets.map((t) => t.key)).toEqual(['CHG-1', 'CHG-2', 'CHG-3']);
    expect(code).toBe(EXIT.ok);
  });
});

describe('progress', () => {
  it('is off when stderr is not a terminal', async () => {
    const { io } = await run(['population', ...source, ...PERIOD]);
    expect(io.stderrText).not.toContain('\r');
  });

  it('goes to stderr when forced, leaving stdout clean JSON', async () => {
    const { code, io } = await run(['population', ...source, ...PERIOD, '--progress']);
    expect(code).toBe(0);
    expect(io.stderrText).toMatch(/Reading tickets \[#+\] 100% 40\/40/);
    expect(() => JSON.parse(io.stdoutText)).not.toThrow();
  });

  it('shows on a terminal', async () => {
    const { io } = await run(['population', ...source, ...PERIOD], memoryIo(undefined, { stderrIsTTY: true }));
    expect(io.stderrText).toContain('Reading tickets [');
  });
});

describe('no partial files on failure', () => {
  it('--output is written whole, and not at all when the run fails', async () => {
    const out = join(tempDir(), 'audit.json');
    expect((await run(['audit', ...source, ...PERIOD, '--format', 'json', '--output', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'cc81-audit' });
    const failed = join(tempDir(), 'failed.json');
    const { code } = await run(['audit', '--export', join(dir, 'missing.json'), '--policy', policyFile, ...PERIOD, '--output', failed]);
    expect(code).toBe(EXIT.input);
    expect(existsSync(failed)).toBe(false);
  });

  it('an unwritable --output exits 5 and leaves nothing', async () => {
    const parent = tempDir();
    const { code, io } = await run(['population', ...source, ...PERIOD, '--output', join(parent, 'no-such-dir', 'p.json')]);
    expect(code).toBe(EXIT.output);
    expect(io.stderrText).toContain('Could not write');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('evidence refuses an existing --out and leaves it untouched', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const { code, io } = await run(['evidence', ...source, ...PERIOD, '--size', '3', '--seed', '1', '--out', out]);
    expect(code).toBe(EXIT.output);
    expect(io.stderrText).toContain('already exists');
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('evidence that fails while reading Jira leaves no directory behind', async () => {
    const parent = tempDir();
    sandbox.router.faults.update({ rate500: 1 });
    try {
      const { code } = await run(['evidence', '--site', sandbox.url, '--jql', 'project = CHG', '--policy', policyFile, ...PERIOD, '--size', '3', '--seed', '1', '--out', join(parent, 'packs')]);
      expect(code).toBe(EXIT.jira);
    } finally {
      sandbox.router.faults.update({ rate500: 0 });
    }
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a directory write that fails midway removes its temporary directory', async () => {
    const parent = tempDir();
    const files = new Map([
      ['index.html', 'ok'],
      ['tickets/CHG-1.json', '{}'],
      ['../escape.json', 'no'],
    ]);
    await expect(writeDirectoryAtomic(join(parent, 'packs'), files)).rejects.toBeInstanceOf(OutputError);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('an interrupt removes a directory write in progress', async () => {
    const parent = tempDir();
    const seen: string[][] = [];
    function* files(): Generator<[string, string]> {
      yield ['index.html', 'ok'];
      seen.push(readdirSync(parent));
      removePendingWrites(); // what the SIGINT handler does before it exits
      seen.push(readdirSync(parent));
      throw new Error('the process exits here');
    }
    await expect(writeDirectoryAtomic(join(parent, 'packs'), files())).rejects.toBeInstanceOf(OutputError);
    expect(seen[0]).toEqual([expect.stringMatching(/^\.packs\./)]);
    expect(seen[1]).toEqual([]);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a file write that fails leaves the old file as it was', async () => {
    const parent = tempDir();
    const target = join(parent, 'report.json');
    writeFileSync(target, 'old');
    await writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    await expect(writeFileAtomic(join(parent, 'missing', 'x.json'), 'y')).rejects.toBeInstanceOf(OutputError);
    expect(readdirSync(parent)).toEqual(['report.json']);
  });
});
