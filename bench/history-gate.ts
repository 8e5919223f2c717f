/*
 * History gate benchmark: `npx ts-node --transpile-only bench/history-gate.ts`.
 * Handler CPU time for one Mark-implemented validation over a 500-entry (filtered) changelog,
 * served in-process. Responses are pre-serialised and JSON.parse'd per call, as a real
 * `response.json()` would. Prints figures next to the targets; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { createHistoryGate, ValidatorResult } from '../src/forge/history-gate';
import { createJiraClient } from '../src/jira/jira-client';
import { POLICY_KEY } from '../src/policy/policy-store';
import { countingTransport, JiraRequest, JiraTransport } from '../src/jira/transport';
import { completeFields } from '../test/builders/change.builder';
import { at } from '../test/builders/clock';
import { FakeJira, MemoryStore } from '../test/fakes/fake-jira';
import { aJiraChangelog, aSitePolicy, issueJson, STATUS_IDS } from '../test/fakes/jira-json.builder';
import { fmt, median } from './stats';
import { gateChangelogFieldIds } from '../src/jira/changelog-fields';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 51);
const WARMUP = 5;
const TARGET = { invocations: 1, restCalls: 2, cpuMs: 25_000 }; // 25 s is the platform's hard limit per invocation

// A change edited many times before its approval: ENTRIES status and material-field histories
// (the bulkfetch filter keeps them all) plus untracked noise it drops; approved by the approver and scheduled.
const changelog = aJiraChangelog().move('Draft', 'Assessment', 'acc-requester', 0.1);
const fields = ['testPlan', 'rollbackPlan', 'targetSystems', 'risk', 'implementer', 'windowStart'] as const;
for (let i = 0; i < ENTRIES - 3; i += 1) {
  const field = fields[i % fields.length] ?? 'testPlan';
  const hour = 0.2 + (1.7 * i) / ENTRIES;
  if (field === 'risk') changelog.edit('risk', i % 2 ? 'low' : 'medium', i % 2 ? 'medium' : 'low', 'acc-requester', hour);
  else if (field === 'implementer') changelog.edit('implementer', 'acc-implementer', 'acc-implementer', 'acc-requester', hour);
  else if (field === 'targetSystems') changelog.edit('targetSystems', 'cdn', 'cdn,edge-proxy', 'acc-requester', hour);
  else if (field === 'windowStart') changelog.edit('windowStart', at(10).toISOString(), at(10).toISOString(), 'acc-requester', hour);
  else changelog.edit(field, `draft ${i}`, `draft ${i + 1}`, 'acc-requester', hour);
  if (i % 5 === 0) changelog.noise('acc-requester', hour); // dropped by the field filter
}
changelog.move('Assessment', 'Approved', 'acc-approver', 2).move('Approved', 'Scheduled', 'acc-requester', 3);

// The same change with a recurring window (RFC 5545, weekly since 2021) instead of a fixed one: the gate reads the rule.
const RECURRING = 'DTSTART;TZID=Europe/Berlin:20210104T000000 RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR DURATION:PT23H';
const jira = new FakeJira()
  .addIssue(issueJson({ key: 'CHG-42', id: '10042', state: 'Scheduled', fields: completeFields() }), changelog.buildNewestFirst())
  .addIssue(issueJson({ key: 'CHG-43', id: '10043', state: 'Scheduled', fields: { ...completeFields(), windowStart: null, windowEnd: null, recurringWindow: RECURRING } }), changelog.buildNewestFirst());

/** Serves each endpoint's response from a cached JSON string (fetched once from the fake). */
const cache = new Map<string, { status: number; text: string }>();
const keyOf = (r: JiraRequest) => `${r.method} ${r.path} ${JSON.stringify(r.query ?? {})} ${JSON.stringify(r.body ?? null)}`;
const cached: JiraTransport = async (request) => {
  let hit = cache.get(keyOf(request));
  if (!hit) {
    const response = await jira.transport(request);
    hit = { status: response.status, text: JSON.stringify(await response.json()) };
    cache.set(keyOf(request), hit);
  }
  const { status, text } = hit;
  return { status, header: () => null, json: async () => JSON.parse(text) };
};

const counted = countingTransport(cached);
const store = new MemoryStore();
const policy = aSitePolicy();
store.values.set(POLICY_KEY, { version: 1, policy, updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
const gate = createHistoryGate({ transport: counted.transport, store, clock: () => at(12), log: () => undefined });
const payloadFor = (key: string) => ({ issue: { key }, transition: { from: { id: STATUS_IDS.Scheduled }, to: { id: STATUS_IDS.Implemented } } });
const context = { principal: { accountId: 'acc-implementer' } };

/** Times the gate on one issue: CPU, wall and REST calls per transition. */
const measure = async (key: string) => {
  const payload = payloadFor(key);
  let result: ValidatorResult = { result: false, errorMessage: 'not run' };
  let invocations = 0;
  for (let i = 0; i < WARMUP; i += 1) await gate(payload, context);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  const calls: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    counted.reset();
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = await gate(payload, context);
    wallMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    calls.push(counted.count());
    invocations += 1;
  }
  return { result, invocations, cpuMs, wallMs, calls };
};

const main = async () => {
  const { result, invocations, cpuMs, wallMs, calls } = await measure('CHG-42');
  const recurring = await measure('CHG-43');
  const page = await createJiraClient(jira.transport).bulkFetchChangelogs(['CHG-42'], gateChangelogFieldIds(policy));
  const served = page.issueChangeLogs.reduce((n, l) => n + l.changeHistories.length, 0);

  console.log(`bench/history-gate  node ${process.version}  ${RUNS} timed runs after ${WARMUP} warm-ups`);
  console.log(`changelog: ${changelog.build().length} histories on the issue, ${served} after the bulkfetch field filter; verdict: ${result.result ? 'allowed' : `blocked (${result.errorMessage})`}`);
  console.log('');
  console.log('measure                                   median      max   target');
  console.log(`handler CPU ms per transition          ${fmt(median(cpuMs), 2)} ${fmt(Math.max(...cpuMs), 2)}   ${TARGET.cpuMs} (platform limit)`);
  console.log(`handler wall ms per transition         ${fmt(median(wallMs), 2)} ${fmt(Math.max(...wallMs), 2)}`);
  console.log(`REST calls per transition              ${fmt(median(calls), 0)} ${fmt(Math.max(...calls), 0)}   <= ${TARGET.restCalls}`);
  console.log(`function invocations per transition    ${fmt(invocations / RUNS, 0)} ${fmt(1, 0)}   <= ${TARGET.invocations}`);
  console.log('');
  console.log(`with a recurring window (weekly since 2021, Europe/Berlin) instead of the fixed one; verdict: ${recurring.result.result ? 'allowed' : `blocked (${recurring.result.errorMessage})`}`);
  console.log('measure                                   median      max   ratio to the fixed window (median)');
  console.log(`handler CPU ms per transition          ${fmt(median(recurring.cpuMs), 2)} ${fmt(Math.max(...recurring.cpuMs), 2)}   ${fmt(median(recurring.cpuMs) / median(cpuMs), 2)}`);
  console.log(`REST calls per transition              ${fmt(median(recurring.calls), 0)} ${fmt(Math.max(...recurring.calls), 0)}   ${fmt(median(recurring.calls) / median(calls), 2)}`);
  console.log('');
  console.log('(the history gate is the only Forge function on a transition; the other CC8.1 rules are Jira expressions)');
};

void main();
