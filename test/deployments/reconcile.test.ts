/** Reconciliation: each finding on exactly its deployment or ticket; key, then SHA, then nothing (never a guess). */
import fc from 'fast-check';
import type { ChangeType, History, State } from '../../src/domain';
import type { LoggedDeployment } from '../../src/deployments/deployment-file';
import { deploymentsByChange, hasReconcileExceptions, reconcile, type ReconciledDeployment, type ReconcileResult, ReconcileTicket } from '../../src/deployments/reconcile';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory, compliantHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';
import { seeded } from '../support/fc-seed';
import { loadInTheTest } from '../support/load-in-test';

const policy = aPolicy();
const ticket = (key: string, state: State, history: History, type: ChangeType = 'normal', fields = {}): ReconcileTicket => ({ key, mapped: { change: aChange({ key, state, type, fields }), history } });
const deployment = (id: string, hour: number, changeKeys: string[], sha: string | null = null, deployerAccountId: string | null = null): LoggedDeployment => ({
  id,
  at: at(hour),
  environment: 'production',
  sha,
  deployer: 'deploy-bot',
  deployerAccountId,
  changeKeys,
});

const approvedThenEdited = aHistory()
  .move('Draft', 'Assessment', PEOPLE.requester, 1)
  .move('Assessment', 'Approved', PEOPLE.approver, 2)
  .move('Approved', 'Scheduled', PEOPLE.requester, 3)
  .edit('rollbackPlan', 'Redeploy previous certificate bundle', 'Roll forward', PEOPLE.requester, 5)
  .move('Scheduled', 'Implemented', PEOPLE.implementer, 11)
  .build();

// The builder's window is hours 10..14; the compliant normal change is approved at 2, implemented at 11, closed at 30.
const TICKETS: ReconcileTicket[] = [
  ticket('CHG-1', 'Closed', compliantHistory('normal')),
  ticket('CHG-2', 'Assessment', aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).build()),
  ticket('CHG-3', 'Implemented', approvedThenEdited),
  ticket('CHG-4', 'Closed', compliantHistory('normal')), // implemented, never deployed
  ticket('CHG-5', 'Closed', compliantHistory('emergency'), 'emergency'),
  ticket('CHG-6', 'Draft', []), // never implemented: owes no deployment
];

const SHA_1 = 'aaaaaaa1111111111111111111111111111111aa';
const LOG: LoggedDeployment[] = [
  deployment('in-window', 11, ['CHG-1'], SHA_1),
  deployment('outside-window', 16, ['CHG-1']),
  deployment('by-approver', 12, ['CHG-1'], null, PEOPLE.approver),
  deployment('by-implementer', 12.5, ['CHG-1'], null, PEOPLE.implementer),
  deployment('not-approved', 11, ['CHG-2']),
  deployment('after-edit', 12, ['CHG-3']),
  deployment('key-not-a-ticket', 12, ['CHG-999'], 'bbbbbbb2222'),
  deployment('no-key-no-sha', 12, []),
  deployment('same-commit-short-sha', 13, [], 'aaaaaaa1111'),
  deployment('same-commit-as-detached', 13, [], 'bbbbbbb2222'),
  deployment('emergency-before-approval', 10.5, ['CHG-5']),
  deployment('after-close', 40, ['CHG-1']),
  deployment('two-changes', 12, ['CHG-1', 'CHG-2']),
];

describe('a deployment log with each finding on exactly its deployment', () => {
  // Reconciled in each test (beforeEach runs inside it), not once when the file loads: Stryker's
  // per-test coverage gives a mutant only to the tests that ran its code.
  let result: ReconcileResult;
  let byId: Map<string, ReconciledDeployment>;
  beforeEach(() => {
    result = reconcile({ deployments: LOG, tickets: TICKETS, policy });
    byId = new Map(result.deployments.map((d) => [d.deployment.id, d]));
  });

  it.each([
    ['in-window', 'key', ['CHG-1'], []],
    ['outside-window', 'key', ['CHG-1'], ['CHG-1 DEPLOYED_OUTSIDE_WINDOW']],
    ['by-approver', 'key', ['CHG-1'], ['CHG-1 DEPLOYER_IS_APPROVER']],
    ['by-implementer', 'key', ['CHG-1'], []],
    ['not-approved', 'key', ['CHG-2'], ['CHG-2 DEPLOYED_BEFORE_APPROVAL']],
    ['after-edit', 'key', ['CHG-3'], ['CHG-3 DEPLOYED_AFTER_CHANGE']],
    ['key-not-a-ticket', 'none', [], ['- DEPLOYMENT_WITHOUT_CHANGE']],
    ['no-key-no-sha', 'none', [], ['- DEPLOYMENT_WITHOUT_CHANGE']],
    ['same-commit-short-sha', 'sha', ['CHG-1'], []],
    ['same-commit-as-detached', 'none', [], ['- DEPLOYMENT_WITHOUT_CHANGE']],
    ['emergency-before-approval', 'key', ['CHG-5'], []],
    ['after-close', 'key', ['CHG-1'], ['CHG-1 DEPLOYED_BEFORE_APPROVAL']],
    ['two-changes', 'key', ['CHG-1', 'CHG-2'], ['CHG-2 DEPLOYED_BEFORE_APPROVAL']],
  ])('%s: matched by %s to %j, finds %j', (id, match, changes, findings) => {
    const d = byId.get(id)!;
    expect({ match: d.match, changes: d.changes, findings: d.findings.map((f) => `${f.change ?? '-'} ${f.code}`), covered: d.covered }).toEqual({ match, changes, findings, covered: findings.length === 0 });
  });

  it('finds nothing else on any deployment, and CHANGE_NEVER_DEPLOYED (a notice) on exactly the implemented change no deployment names', () => {
    expect(result.deployments.map((d) => d.deployment.id).sort()).toEqual(LOG.map((d) => d.id).sort());
    expect(result.changes.map((c) => [c.key, c.findings.map((f) => `${f.code} ${f.severity}`)])).toEqual([['CHG-4', ['CHANGE_NEVER_DEPLOYED notice']]]);
    expect(result.changes[0]!.findings[0]!.message).toContain('2026-03-02T19:00Z');
  });

  it('says why a detached deployment matched nothing', () => {
    expect(byId.get('key-not-a-ticket')!.findings[0]!.message).toBe('It names CHG-999, not a ticket among those read, and no deployment of commit bbbbbbb2222 names a change either.');
    expect(byId.get('no-key-no-sha')!.findings[0]!.message).toContain('names no change key');
    expect(byId.get('no-key-no-sha')!.findings[0]!.message).toContain('no commit SHA to match by');
  });

  it('counts per code and the coverage: deployments matched and free of exceptions, over all', () => {
    expect(result.summary).toEqual({
      deployments: 13,
      outsidePeriod: 0,
      matchedByKey: 9,
      matchedBySha: 1,
      unmatched: 3,
      unjudged: 0,
      covered: 4,
      coverage: Math.round((4 / 13) * 10_000) / 10_000,
      exceptions: 9,
      notices: 1,
      byCode: { DEPLOYED_OUTSIDE_WINDOW: 1, DEPLOYER_IS_APPROVER: 1, DEPLOYED_BEFORE_APPROVAL: 3, DEPLOYED_AFTER_CHANGE: 1, DEPLOYMENT_WITHOUT_CHANGE: 3, CHANGE_NEVER_DEPLOYED: 1 },
    });
    expect(hasReconcileExceptions(result)).toBe(true);
  });

  it('lists the deployments by time, then id, and each change with its own', () => {
    const times = result.deployments.map((d) => d.deployment.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      deploymentsByChange(result)
        .get('CHG-2')!
        .map((d) => d.deployment.id),
    ).toEqual(['not-approved', 'two-changes']);
  });
});

describe('matching: by key, else by SHA, else not at all', () => {
  const tickets = [ticket('CHG-1', 'Closed', compliantHistory('normal')), ticket('CHG-2', 'Closed', compliantHistory('normal'))];
  const run = (deployments: LoggedDeployment[]) => new Map(reconcile({ deployments, tickets, policy }).deployments.map((d) => [d.deployment.id, [d.match, d.changes]]));

  it('matches by SHA whatever the order of the log, and a full SHA to a short one', () => {
    const m = run([deployment('prod', 12, [], 'abcdef0123456789'), deployment('staging', 11, ['CHG-1'], 'abcdef0')]);
    expect(m.get('prod')).toEqual(['sha', ['CHG-1']]);
  });

  it('a commit deployed under two changes matches both', () => {
    const m = run([deployment('a', 11, ['CHG-1'], 'abcdef0'), deployment('b', 11, ['CHG-2'], 'abcdef0'), deployment('c', 12, [], 'abcdef0')]);
    expect(m.get('c')).toEqual(['sha', ['CHG-1', 'CHG-2']]);
    const reversed = run([deployment('b', 11, ['CHG-2'], 'abcdef0'), deployment('a', 11, ['CHG-1'], 'abcdef0'), deployment('c', 12, [], 'abcdef0')]);
    expect(reversed.get('c')).toEqual(['sha', ['CHG-1', 'CHG-2']]);
  });

  it('never by guess: a similar SHA, a key of no ticket, a SHA reached only through another SHA match', () => {
    const m = run([
      deployment('keyed', 11, ['CHG-1'], 'abcdef0'),
      deployment('seven-digits-apart', 12, [], 'abcdef1'),
      deployment('other-key', 12, ['CHG-3', 'OPS-1'], 'abcdef0'),
      deployment('no-key-same-commit', 12, [], 'abcdef0'),
      deployment('third', 12, [], '1234567'),
    ]);
    expect(m.get('seven-digits-apart')).toEqual(['none', []]);
    // It names keys, none a ticket, so it falls back to its SHA like a deployment that names none.
    expect(m.get('other-key')).toEqual(['sha', ['CHG-1']]);
    expect(m.get('no-key-same-commit')).toEqual(['sha', ['CHG-1']]);
    expect(m.get('third')).toEqual(['none', []]);
  });

  it('a key wins over the SHA: a deployment naming a ticket is not also matched through its commit', () => {
    const m = run([deployment('a', 11, ['CHG-1'], 'abcdef0'), deployment('b', 11, ['CHG-2'], 'abcdef0')]);
    expect(m.get('b')).toEqual(['key', ['CHG-2']]);
  });

  it('gives each deployment the same match whatever the order of the log', () => {
    const keys = ['CHG-1', 'CHG-2', 'CHG-3', 'OPS-7'];
    const shas = ['abcdef0', 'abcdef0123', '1234567', null];
    const arb = fc.array(
      fc.record({ keys: fc.subarray(keys), sha: fc.constantFrom(...shas), hour: fc.integer({ min: 0, max: 40 }) }),
      { minLength: 1, maxLength: 25 },
    );
    fc.assert(
      fc.property(arb, fc.func(fc.integer()), (specs, order) => {
        const log = specs.map((s, i) => deployment(`d${i}`, s.hour, s.keys, s.sha));
        const shuffled = log.map((d, i) => [order(i), d] as const).sort((a, b) => a[0] - b[0]).map(([, d]) => d);
        const byId = run(log);
        expect(run(shuffled)).toEqual(byId);
        // Never a guess: a deployment is matched only to tickets that it, or a key-matched deployment of its commit, names.
        for (const d of log) {
          const [match, changes] = byId.get(d.id)! as [string, string[]];
          const named = d.changeKeys.filter((k) => k === 'CHG-1' || k === 'CHG-2');
          if (named.length) expect([match, changes]).toEqual(['key', named]);
          else if (match === 'sha') expect(log.some((o) => o.changeKeys.some((k) => changes.includes(k)) && o.sha && d.sha && (o.sha.startsWith(d.sha) || d.sha.startsWith(o.sha)))).toBe(true);
          else expect(changes).toEqual([]);
        }
      }),
      seeded({ numRuns: 200 }),
    );
  });
});

describe('the period', () => {
  const tickets = [ticket('CHG-1', 'Closed', compliantHistory('normal')), ticket('CHG-4', 'Closed', compliantHistory('normal'))];

  it('judges only deployments inside it, yet counts every deployment for matching and for "deployed"', () => {
    const result = reconcile({
      deployments: [deployment('before-period', -30, ['CHG-4'], 'cccccc1'), deployment('staging', -30, ['CHG-1'], 'abcdef0'), deployment('prod', 12, [], 'abcdef0')],
      tickets,
      policy,
      period: { from: at(0), to: at(24) },
    });
    expect(result.deployments.map((d) => [d.deployment.id, d.match, d.changes])).toEqual([['prod', 'sha', ['CHG-1']]]);
    expect(result.summary.outsidePeriod).toBe(2);
    expect(result.changes).toEqual([]);
  });

  it('owes a deployment only for an implementation inside it', () => {
    expect(reconcile({ deployments: [], tickets, policy, period: { from: at(0), to: at(24) } }).changes.map((c) => c.key)).toEqual(['CHG-1', 'CHG-4']);
    expect(reconcile({ deployments: [], tickets, policy, period: { from: at(12), to: at(24) } }).changes).toEqual([]);
  });
});

describe('a recurring window is judged at each deployment time', () => {
  // Daily 10:00 to 14:00 UTC: hours 2..6 after T0 (08:00 UTC), and again 24 h later.
  const implementedInWindow = aHistory()
    .move('Draft', 'Assessment', PEOPLE.requester, 1)
    .move('Assessment', 'Approved', PEOPLE.approver, 2)
    .move('Approved', 'Scheduled', PEOPLE.requester, 3)
    .move('Scheduled', 'Implemented', PEOPLE.implementer, 4)
    .build();
  const recurring = ticket('CHG-7', 'Implemented', implementedInWindow, 'normal', { windowStart: null, windowEnd: null, recurringWindow: 'DTSTART:20260302T100000Z RRULE:FREQ=DAILY DURATION:PT4H' });

  it.each([
    ['inside the next day occurrence', 27, []],
    ['outside every occurrence', 33, ['DEPLOYED_OUTSIDE_WINDOW']],
  ])('%s', (_what, hour, codes) => {
    const result = reconcile({ deployments: [deployment('d', hour, ['CHG-7'])], tickets: [recurring], policy });
    expect(result.deployments[0]!.findings.map((f) => f.code)).toEqual(codes);
  });
});

describe('an unreadable ticket', () => {
  it('matches by key, but its deployments are not judged nor covered, and that is reported', () => {
    const result = reconcile({ deployments: [deployment('d', 12, ['CHG-8'])], tickets: [{ key: 'CHG-8', mapped: null }], policy });
    expect(result.deployments[0]).toMatchObject({ match: 'key', changes: ['CHG-8'], unreadable: ['CHG-8'], findings: [], covered: false });
    expect(result.summary).toMatchObject({ unjudged: 1, covered: 0, exceptions: 0 });
    expect(hasReconcileExceptions(result)).toBe(true);
  });

  it('a clean log has no exceptions', () => {
    const result = reconcile({ deployments: [deployment('d', 12, ['CHG-1'])], tickets: [ticket('CHG-1', 'Closed', compliantHistory('normal'))], policy });
    expect(result.summary).toMatchObject({ covered: 1, coverage: 1, exceptions: 0 });
    expect(hasReconcileExceptions(result)).toBe(false);
  });
});

describe('what a reader of the findings sees', () => {
  const tickets = [ticket('CHG-1', 'Closed', compliantHistory('normal'))];
  const FULL_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

  it.each([
    ['no key and no SHA', [], null, 'It names no change key (in its ref, PR title, message or key column), and it has no commit SHA to match by.'],
    ['one key of no ticket', ['CHG-999'], null, 'It names CHG-999, not a ticket among those read, and it has no commit SHA to match by.'],
    ['two keys of no ticket and a full SHA (cut to 12 digits)', ['CHG-998', 'CHG-999'], FULL_SHA, 'It names CHG-998 and CHG-999, none of them a ticket among those read, and no deployment of commit fedcba987654 names a change either.'],
    ['three keys of no ticket', ['OPS-1', 'CHG-998', 'CHG-999'], 'abcdef0', 'It names OPS-1, CHG-998 and CHG-999, none of them a ticket among those read, and no deployment of commit abcdef0 names a change either.'],
  ])('a deployment matched to nothing (%s) says why', (_what, keys, sha, message) => {
    const result = reconcile({ deployments: [deployment('d', 12, keys, sha)], tickets, policy });
    expect(result.deployments[0]!.findings).toEqual([{ code: 'DEPLOYMENT_WITHOUT_CHANGE', severity: 'exception', change: null, message }]);
  });

  it('a change implemented and never deployed says when it was implemented, to the minute', () => {
    const result = reconcile({ deployments: [], tickets, policy });
    expect(result.changes).toEqual([
      {
        key: 'CHG-1',
        findings: [
          {
            code: 'CHANGE_NEVER_DEPLOYED',
            severity: 'notice',
            change: 'CHG-1',
            message: 'CHG-1 was marked implemented at 2026-03-02T19:00Z, but no deployment in the log names it or shares a commit with one that does.',
          },
        ],
      },
    ]);
  });

  it.each([
    ['later ones first', [['b', 12], ['a', 11]], ['a', 'b']],
    ['a later one with the smaller id first', [['a', 12], ['b', 11]], ['b', 'a']],
    ['ties in time, in id order already', [['a', 12], ['b', 12]], ['a', 'b']],
    ['ties in time, in reverse id order', [['c', 12], ['b', 12], ['a', 12]], ['a', 'b', 'c']],
    ['mixed', [['d', 13], ['c', 12], ['a', 13], ['b', 12]], ['b', 'c', 'a', 'd']],
  ] as const)('lists the deployments by time, then id: %s', (_what, log, order) => {
    const result = reconcile({ deployments: log.map(([id, hour]) => deployment(id, hour, ['CHG-1'])), tickets, policy });
    expect(result.deployments.map((d) => d.deployment.id)).toEqual(order);
  });
});

describe('the edges of the period (from inclusive, to exclusive)', () => {
  // The compliant change: approved at 2, implemented at 11, closed at 30.
  const tickets = [ticket('CHG-1', 'Closed', compliantHistory('normal'))];

  it.each([
    ['at its start is in it', 11, 12, ['d']],
    ['at its end is not', 10, 11, []],
  ])('a deployment %s', (_what, from, to, judged) => {
    const result = reconcile({ deployments: [deployment('d', 11, ['CHG-1'])], tickets, policy, period: { from: at(from), to: at(to) } });
    expect(result.deployments.map((d) => d.deployment.id)).toEqual(judged);
    expect(result.summary.outsidePeriod).toBe(1 - judged.length);
  });

  it.each([
    ['implemented at its start', 11, 12, ['CHG-1']],
    ['implemented at its end', 0, 11, []],
    ['approved, not implemented, in it', 0, 5, []],
  ])('owes a deployment for a change %s', (_what, from, to, keys) => {
    expect(reconcile({ deployments: [], tickets, policy, period: { from: at(from), to: at(to) } }).changes.map((c) => c.key)).toEqual(keys);
  });
});

type ReconcileModule = typeof import('../../src/deployments/reconcile');

/** Loaded inside the running test (see test/support/load-in-test.ts). */
const loadedInTheTest = (): ReconcileModule => loadInTheTest(() => jest.requireActual<ReconcileModule>('../../src/deployments/reconcile'));

describe('whether a result holds anything an auditor writes up', () => {
  it.each([
    ['a clean log', [deployment('d', 12, ['CHG-1'])], false],
    ['an exception', [deployment('d', 12, ['OPS-1'])], true],
    ['a deployment of a ticket that could not be read', [deployment('d', 12, ['CHG-8'])], true],
  ])('%s: %s', (_what, deployments, expected) => {
    const module = loadedInTheTest();
    const tickets: ReconcileTicket[] = [ticket('CHG-1', 'Closed', compliantHistory('normal')), { key: 'CHG-8', mapped: null }];
    expect(module.hasReconcileExceptions(module.reconcile({ deployments, tickets, policy }))).toBe(expected);
  });
});
