/**
 * `cc81`: reads tickets from a Jira site or export files, builds the population and runs the
 * requested subcommand. `runCli(argv, io)` returns the exit code; all I/O goes through `io`
 * and the file system, so tests run it in process. The subcommands' code (run-command) is loaded
 * only once the arguments are valid.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError, EXIT, UsageError } from './cli-errors';
import { Command, commandHelp, isCommand, topHelp } from './help';
import { createProgress, NO_PROGRESS, Progress } from './progress';
import type { RunContext, Values } from './run-command';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

type Options = NonNullable<ParseArgsConfig['options']>;
const SOURCE: Options = { site: { type: 'string' }, export: { type: 'string', multiple: true }, policy: { type: 'string' }, jql: { type: 'string' }, 'evidence-key': { type: 'string' } };
const PERIOD: Options = { from: { type: 'string' }, to: { type: 'string' } };
const COMMON: Options = { progress: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const OUTPUT: Options = { output: { type: 'string' } };
const SAMPLING: Options = { size: { type: 'string' }, seed: { type: 'string' } };
const FORMAT: Options = { format: { type: 'string' } };
const DEPLOYMENTS: Options = { deployments: { type: 'string', multiple: true }, 'from-gate': { type: 'string', multiple: true } };
const GATE_CALL: Options = Object.fromEntries(
  ['url', 'token', 'environment', 'sha', 'deployer', 'change', 'branch', 'pr-title', 'message', 'deployer-account-id'].map((name) => [name, { type: 'string' as const }]),
);

const COMMAND_OPTIONS: Record<Command, Options> = {
  population: { ...SOURCE, ...PERIOD, ...OUTPUT, ...COMMON },
  sample: { ...SOURCE, ...PERIOD, ...SAMPLING, population: { type: 'string' }, ...DEPLOYMENTS, ...OUTPUT, ...COMMON },
  audit: { ...SOURCE, ...PERIOD, ...FORMAT, 'fail-on-findings': { type: 'boolean' }, ...OUTPUT, ...COMMON },
  evidence: { ...SOURCE, ...PERIOD, ...SAMPLING, ...DEPLOYMENTS, out: { type: 'string' }, ...COMMON },
  review: { ...SOURCE, quarter: { type: 'string' }, ...DEPLOYMENTS, ...FORMAT, ...OUTPUT, ...COMMON },
  reconcile: { ...SOURCE, ...PERIOD, quarter: { type: 'string' }, ...DEPLOYMENTS, ...FORMAT, ...OUTPUT, ...COMMON },
  gate: { ...GATE_CALL, ...FORMAT, help: { type: 'boolean', short: 'h' } },
  policy: { site: { type: 'string' }, project: { type: 'string' }, ...OUTPUT, ...COMMON },
};

export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(topHelp());
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(topHelp());
    return EXIT.ok;
  }
  const context: RunContext = { site: null, restCalls: null, jqlSent: null };
  let progress: Progress = NO_PROGRESS;
  try {
    if (!isCommand(first)) throw new UsageError(`Unknown command '${first}'.`);
    const command = first;
    let values: Values;
    try {
      values = parseArgs({ args: [...rest], options: COMMAND_OPTIONS[command], strict: true, allowPositionals: false }).values as Values;
    } catch (cause) {
      const message = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
      throw new UsageError(message, command);
    }
    if (values.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    progress = io.stderrIsTTY || values.progress ? createProgress(io.stderr) : NO_PROGRESS;
    const { runCommand } = await import('./run-command');
    const code = await runCommand(command, values, io, progress, context);
    if (context.restCalls !== null) io.stderr(`cc81: ${context.restCalls} REST call(s) to ${context.site}\n`);
    return code;
  } catch (error) {
    progress.finish();
    const { exitCode, message } = describeError(error, context.site, context.jqlSent);
    if (context.restCalls !== null) io.stderr(`cc81: ${context.restCalls} REST call(s) to ${context.site}\n`);
    io.stderr(`cc81: error: ${message}\n`);
    return exitCode;
  }
};
