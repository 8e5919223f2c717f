/** A 100k-deployment log, parsed and reconciled: correctness only (the timing is bench/reconcile.ts's). */
import { parseDeploymentCsv } from '../../src/deployments/deployment-file';
import { reconcile, ReconcileTicket } from '../../src/deployments/reconcile';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { compliantHistory } from '../builders/history.builder';
import { aPolicy } from '../builders/policy.builder';

jest.setTimeout(120_000);

const DEPLOYMENTS = 100_000;
const TICKETS = 1_000;
const commitOf = (ticket: number) => `${ticket.toString(16).padStart(8, '0')}${'c0ffee'.repeat(5)}00`;

/**
 * Per group of ten rows (group g names ticket k = g % 1000 + 1): row 0 names nothing and has a commit
 * of its own (detached); row 1 names nothing but deploys ticket k's commit (matched by SHA); rows 2 to
 * 8 name CHG-k in the message inside the window; row 9 names it in the branch, outside the window.
 */
const csvLog = (): string => {
  const lines = ['time,environment,sha,actor,ref,message'];
  for (let i = 0; i < DEPLOYMENTS; i += 1) {
    const row = i % 10;
    const k = (Math.floor(i / 10) % TICKETS) + 1;
    if (row === 0) lines.push(`${at(12).toISOString()},production,${(0xd000000 + i).toString(16)},bot,main,"chore, no ticket"`);
    else if (row === 1) lines.push(`${at(12).toISOString()},production,${commitOf(k).slice(0, 12)},bot,main,hotfix`);
    else if (row === 9) lines.push(`${at(16).toISOString()},production,${commitOf(k)},bot,feature/CHG-${k},late`);
    else lines.push(`${at(11).toISOString()},staging-${row},${commitOf(k)},bot,main,"Deploy CHG-${k}"`);
  }
  return lines.join('\r\n');
};

it('matches and judges every one of 100,000 deployments against 1,010 tickets, each finding on its own row', () => {
  const deployments = parseDeploymentCsv('big.csv', csvLog());
  expect(deployments).toHaveLength(DEPLOYMENTS);
  const tickets: ReconcileTicket[] = Array.from({ length: TICKETS + 10 }, (_, i) => ({
    key: `CHG-${i + 1}`,
    mapped: { change: aChange({ key: `CHG-${i + 1}`, state: 'Closed' }), history: compliantHistory('normal') },
  }));
  const result = reconcile({ deployments, tickets, policy: aPolicy() });

  expect(result.summary).toEqual({
    deployments: DEPLOYMENTS,
    outsidePeriod: 0,
    matchedByKey: 80_000,
    matchedBySha: 10_000,
    unmatched: 10_000,
    unjudged: 0,
    covered: 80_000,
    coverage: 0.8,
    exceptions: 20_000,
    notices: 10,
    byCode: { DEPLOYMENT_WITHOUT_CHANGE: 10_000, DEPLOYED_OUTSIDE_WINDOW: 10_000, CHANGE_NEVER_DEPLOYED: 10 },
  });
  expect(result.changes.map((c) => c.key)).toEqual(Array.from({ length: 10 }, (_, i) => `CHG-${TICKETS + i + 1}`));
  // Each finding on exactly its row: the line is the row's index + 2 (the header is line 1).
  const codeOfLine = new Map(result.deployments.map((d) => [Number(d.deployment.id.split(':')[1]), d.findings.map((f) => f.code).join(',')]));
  for (let i = 0; i < DEPLOYMENTS; i += 1) {
    const row = i % 10;
    const expected = row === 0 ? 'DEPLOYMENT_WITHOUT_CHANGE' : row === 9 ? 'DEPLOYED_OUTSIDE_WINDOW' : '';
    if (codeOfLine.get(i + 2) !== expected) throw new Error(`line ${i + 2}: expected "${expected}", got "${codeOfLine.get(i + 2)}"`);
  }
  const group = result.deployments.find((d) => d.deployment.id === 'big.csv:12345')!; // i = 12343: group 1234, row 3 → CHG-235
  expect([group.match, group.changes]).toEqual(['key', ['CHG-235']]);
  const bySha = result.deployments.find((d) => d.deployment.id === 'big.csv:12343')!; // i = 12341: row 1 → CHG-235's commit
  expect([bySha.match, bySha.changes]).toEqual(['sha', ['CHG-235']]);
});
