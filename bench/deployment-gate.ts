/*
 * Deployment gate benchmark: `npm run bench:deployment-gate`.
 * The sandbox (in process, on a free port) with the app's web trigger; each call is made as a
 * pipeline makes it: signed, over HTTP. Per call: wall time, Forge invocations and REST calls, for
 * an allowed normal change, a denied one, an emergency and a call naming no change. The history
 * gate's Mark implemented on the same kind of change is printed beside it. Asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_USERS } from '../sandbox/demo/demo-users';
import { startSandbox } from '../sandbox/start-sandbox';
import { signedGateHeaders } from '../src/deployments/gate-signature';
import { createPipeline } from '../src/deployments/pipelines';
import { DEPLOYMENT_GATE_MODULE_KEY } from '../src/forge/deployment-gate';
import { adf, sandboxClient } from '../test/sandbox/sandbox-client';
import { fmt, median } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const AIM = { invocations: 1, restCalls: 2 };

// The sandbox's own log lines (workflow, router) would drown the figures.
const print = console.log.bind(console);
console.log = () => undefined;

const main = async () => {
  let tick = Date.parse('2026-11-23T12:00:00.000Z');
  const sandbox = await startSandbox({ port: 0, clock: () => new Date((tick += 1_000)), triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined, forgeRuntime: { log: () => undefined } });
  try {
    const client = sandboxClient(() => sandbox.url, () => sandbox.state);
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
    const move = async (as: Parameters<typeof client.move>[0], key: string, name: string, fields: Record<string, unknown> = {}) => {
      const res = await client.move(as, key, name, fields);
      if (res.status !== 204) throw new Error(`${name} on ${key}: ${res.status}`);
    };
    const scheduled = async () => {
      const key = await client.createChange('Normal', 'Medium', 'Bench change');
      await move('requester', key, 'Submit for assessment');
      await move('approver', key, 'Approve');
      await move('requester', key, 'Schedule', { [client.fieldId('Maintenance window start')]: iso(tick - 3_600_000), [client.fieldId('Maintenance window end')]: iso(tick + 1_000 * 3_600_000) });
      return key;
    };
    const { token } = await createPipeline(sandbox.runtime.store, { name: 'bench', by: { accountId: DEMO_USERS.admin.accountId, displayName: 'Adam Admin' }, now: new Date(tick) });
    const url = `${sandbox.url}/x1/${DEPLOYMENT_GATE_MODULE_KEY}`;
    const gate = async (body: Record<string, unknown>) => {
      const text = JSON.stringify({ environment: 'production', sha: 'abcdef1234', deployer: 'bench', ...body });
      const res = await fetch(url, { method: 'POST', headers: signedGateHeaders(token, text, new Date(tick), randomBytes(12).toString('hex')), body: text });
      await res.text();
      return res.status;
    };

    const allowedKey = await scheduled();
    const deniedKey = await client.createChange('Normal', 'Medium', 'Bench change, not approved');
    const emergencyKey = await client.createChange('Emergency', 'High', 'Bench emergency');
    const cases: [string, Record<string, unknown>, number][] = [
      ['allowed (approved, in window)', { changeKey: allowedKey }, 200],
      ['denied (not approved)', { changeKey: deniedKey }, 403],
      ['emergency (post-hoc clock)', { changeKey: emergencyKey }, 200],
      ['names no change', { branch: 'main' }, 403],
    ];
    print(`Deployment gate: ${RUNS} calls per case over HTTP to the sandbox's web trigger (pipeline rate limit lifted by a new minute per call)`);
    print(`${'case'.padEnd(32)}${'median ms'.padStart(10)}${'invocations'.padStart(13)}${'REST calls'.padStart(12)}${'REST ÷ aim'.padStart(12)}   aim: ${AIM.invocations} invocation, ≤ ${AIM.restCalls} REST calls`);
    for (const [name, body, expected] of cases) {
      const times: number[] = [];
      sandbox.runtime.resetStats();
      for (let i = 0; i < RUNS; i += 1) {
        tick += 61_000; // a new minute: the per-pipeline rate limit never bites the benchmark
        const start = performance.now();
        const status = await gate(body);
        times.push(performance.now() - start);
        if (status !== expected) throw new Error(`${name}: expected ${expected}, got ${status}`);
      }
      const stats = sandbox.runtime.stats()['deployment-gate'];
      print(`${name.padEnd(32)}${fmt(median(times), 2).padStart(10)}${(stats.invocations / RUNS).toFixed(2).padStart(13)}${(stats.restCalls / RUNS).toFixed(2).padStart(12)}${(stats.restCalls / RUNS / AIM.restCalls).toFixed(2).padStart(12)}`);
    }

    // Baseline: the history gate's Mark implemented validation on a change like the allowed one.
    const baselineKey = await scheduled();
    sandbox.runtime.resetStats();
    const start = performance.now();
    await move('implementer', baselineKey, 'Mark implemented', { [client.fieldId('Implementation evidence')]: adf('Deploy job #1') });
    const ms = performance.now() - start;
    const hg = sandbox.runtime.stats()['history-gate'];
    print(`${'baseline: history gate (1 call)'.padEnd(32)}${fmt(ms, 2).padStart(10)}${String(hg.invocations).padStart(13)}${String(hg.restCalls).padStart(12)}   (the transition's whole REST round trip)`);
  } finally {
    await sandbox.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
