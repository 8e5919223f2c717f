/* Domain benchmark: `npm run bench:domain`. Prints figures; asserts nothing. */
import { auditChange, evaluateTransition } from '../../src/domain';
import { aChange } from '../../test/builders/change.builder';
import { at } from '../../test/builders/clock';
import { anActor } from '../../test/builders/people.builder';
import { aPolicy } from '../../test/builders/policy.builder';
import { fmt, median, timeRuns } from '../stats';
import { generateTickets } from './generate';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const GOAL_MS = 1_000; // issue #2: the whole 10k audit in under 1 s

const policy = aPolicy();
const now = at(1_000);
const tickets = generateTickets(TICKETS, 20);
const entries = tickets.reduce((n, t) => n + t.history.length, 0);

let findings = 0;
const auditMs = timeRuns(RUNS, 2, () => {
  findings = 0;
  for (const t of tickets) findings += auditChange(t.change, t.history, policy, now).length;
});

const CALLS = 100_000;
const scheduled = aChange({ state: 'Scheduled' });
const approval = tickets.find((t) => t.change.fields.changeType === 'normal')!.history.slice(0, 3);
const implementer = anActor('implementer');
const evalMs = timeRuns(RUNS, 2, () => {
  for (let i = 0; i < CALLS; i += 1) evaluateTransition(scheduled, 'implement', implementer, policy, at(12));
});
const evalWithHistoryMs = timeRuns(RUNS, 2, () => {
  for (let i = 0; i < CALLS; i += 1) evaluateTransition(scheduled, 'implement', implementer, policy, at(12), approval);
});

const auditMedian = median(auditMs);
console.log(`bench/domain  node ${process.version}  ${RUNS} timed runs after 2 warm-ups`);
console.log(`tickets ${TICKETS}, history entries ${entries} (${(entries / TICKETS).toFixed(1)}/ticket), findings ${findings}`);
console.log('');
console.log('measure                                 median ms   per item µs   baseline ms   ratio');
console.log(`auditChange, all ${TICKETS} tickets        ${fmt(auditMedian)}   ${fmt((auditMedian * 1000) / TICKETS, 2)}     ${fmt(GOAL_MS, 0)}   ${(auditMedian / GOAL_MS).toFixed(3)}`);
console.log(`evaluateTransition (no history) ×${CALLS}  ${fmt(median(evalMs))}   ${fmt((median(evalMs) * 1000) / CALLS, 2)}`);
console.log(`evaluateTransition (+history)  ×${CALLS}  ${fmt(median(evalWithHistoryMs))}   ${fmt((median(evalWithHistoryMs) * 1000) / CALLS, 2)}`);
console.log('');
console.log(`audit of ${TICKETS} tickets: ${auditMedian < GOAL_MS ? 'inside' : 'OVER'} the 1 s goal (ratio = median / goal)`);
