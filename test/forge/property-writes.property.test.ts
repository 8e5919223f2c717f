// Issue 14's invariant: any sequence of issue-property writes by users (cc81.evidence, cc81.posthoc:
// forged records, altered or deleted ones, garbage) leaves every decision as it is with no write at all:
// the history gate's verdicts, the panel's post-hoc clock and its findings (EVIDENCE_TAMPERED aside, which
// reports the writes), and what a tool holding only the public key may count as evidence.
import fc from 'fast-check';
import { appendEvidenceLog, readEvidenceWithNote } from '../../src/evidence-log/evidence-log';
import type { LogEntry } from '../../src/evidence-log/log-record';
import { mirrorOf } from '../../src/evidence-log/mirror';
import { loadSigningKey, sealedEvidence, sealMirror } from '../../src/evidence-log/mirror-seal';
import { createHistoryGate, ValidatorResult } from '../../src/forge/history-gate';
import { createPanelResolver } from '../../src/forge/create-panel-resolver';
import { EVIDENCE_PROPERTY_KEY } from '../../src/jira/evidence-property';
import { countingTransport } from '../../src/jira/transport';
import { POLICY_KEY } from '../../src/policy/policy-store';
import type { PanelResponse } from '../../src/shared/panel-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { POSTHOC_PROPERTY_KEY } from '../../src/sweep/posthoc-property';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { aJiraChangelog, aSitePolicy, issueJson, STATUS_IDS } from '../fakes/jira-json.builder';
import { runs, seeded } from '../support/fc-seed';

const NOW = at(200);
const KEY = 'CHG-91';
const ID = '10091';
const PEOPLE = ['acc-implementer', 'acc-approver', 'acc-verifier', 'acc-cab-member', 'acc-requester'] as const;

const implemented: LogEntry = { issueId: ID, edge: 'emergencyImplementFromDraft', from: 'Draft', to: 'Implemented', accountId: 'acc-implementer', at: at(1).toISOString(), executionId: 'e-impl' };
const postHoc = (accountId: string, hours: number): LogEntry => ({ issueId: ID, edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId, at: at(hours).toISOString(), executionId: `e-posthoc-${accountId}-${hours}` });

/** A record as a user might type it into the mirror. */
const aTypedRecord = fc.record({
  edge: fc.constantFrom('postHocApprove', 'approve', 'close', 'emergencyImplementFromDraft', 'implement'),
  from: fc.constantFrom('Draft', 'Assessment', 'Approved', 'Scheduled', 'Implemented', 'Closed'),
  to: fc.constantFrom('Implemented', 'Approved', 'Closed'),
  accountId: fc.option(fc.constantFrom(...PEOPLE), { nil: null }),
  at: fc.integer({ min: 0, max: 199 }).map((h) => at(h).toISOString()),
  executionId: fc.constantFrom('e-impl', 'e-posthoc-acc-approver-5', 'typed', 'forged-1', 'forged-2'),
});

/** One write: a new mirror (the app's records edited, or typed from scratch), a posthoc value, or a deletion. */
const aWrite = (logged: readonly LogEntry[]) =>
  fc.oneof(
    fc.record({ key: fc.constant(EVIDENCE_PROPERTY_KEY), value: fc.array(aTypedRecord, { maxLength: 4 }).map((records) => ({ version: 1, records })) }),
    fc.record({
      key: fc.constant(EVIDENCE_PROPERTY_KEY),
      value: fc.tuple(fc.subarray([...logged]), fc.array(aTypedRecord, { maxLength: 2 })).map(([kept, added]) => ({
        version: 1,
        records: [...kept.map((r) => ({ edge: r.edge, from: r.from, to: r.to, accountId: r.accountId, at: r.at, executionId: r.executionId })), ...added],
      })),
    }),
    fc.record({ key: fc.constant(EVIDENCE_PROPERTY_KEY), value: fc.constantFrom(null, 'garbage', { version: 2 }, { version: 1, records: 'x' }) }),
    fc.record({
      key: fc.constant(POSTHOC_PROPERTY_KEY),
      value: fc.record({ version: fc.constant(1), status: fc.constantFrom('satisfied-on-time', 'not-needed', 'overdue'), resolvedAt: fc.constant(at(3).toISOString()), flaggedAt: fc.constant(at(4).toISOString()) }),
    }),
  );

/** The scenario: what the app logged (post-hoc approval by whom, if any). */
const aScenario = fc.record({ approvedBy: fc.option(fc.constantFrom(...PEOPLE), { nil: null }) });

const build = async (log: readonly LogEntry[], writes: readonly { key: string; value: unknown }[]) => {
  const jira = new FakeJira().addIssue(issueJson({ key: KEY, id: ID, state: 'Implemented', fields: completeFields('emergency') }), aJiraChangelog().move('Draft', 'Implemented', 'acc-implementer', 1).build());
  const store = new MemoryStore();
  store.values.set(POLICY_KEY, { version: 1, policy: aSitePolicy(), updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
  for (const entry of log) await appendEvidenceLog(store, entry);
  // The recorder's mirror, sealed; then the users' writes over it.
  const key = await loadSigningKey(store, at(0));
  const properties = jira.issues.get(ID)!.properties;
  const mirror = mirrorOf((await readEvidenceWithNote(store, ID)).records);
  properties.set(EVIDENCE_PROPERTY_KEY, sealMirror(mirror.property, ID, mirror.omitted, key));
  for (const write of writes) {
    if (write.value === null) properties.delete(write.key);
    else properties.set(write.key, write.value);
  }
  return { jira, store, key };
};

const decisions = async (log: readonly LogEntry[], writes: readonly { key: string; value: unknown }[]) => {
  const { jira, store, key } = await build(log, writes);
  const gate = createHistoryGate({ transport: jira.transport, store, clock: () => NOW, log: () => undefined, sleep: async () => undefined });
  const close = (accountId: string) => gate({ issue: { key: KEY }, transition: { from: { id: STATUS_IDS.Implemented }, to: { id: STATUS_IDS.Closed } } }, { principal: { accountId } });
  const verdict = (r: ValidatorResult) => (r.result ? 'allowed' : r.errorMessage);
  const panel = createPanelResolver({
    userTransport: countingTransport(jira.transport).transport,
    appTransport: countingTransport(jira.transport).transport,
    evidenceLog: (issueId) => readEvidenceWithNote(store, issueId),
    loadPolicy: async () => ({ policy: aSitePolicy(), version: 1 }),
    clock: () => NOW,
    log: () => undefined,
  });
  const result = (await panel({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { extension: { issue: { key: KEY, id: ID } } } }, { principal: { accountId: 'acc-verifier' } })) as {
    ok: boolean;
    data?: PanelResponse;
  };
  if (!result.ok || result.data?.status !== 'ok') throw new Error(`no panel: ${JSON.stringify(result)}`);
  const view = result.data.view;
  // A tool with only the public key counts the records the app sealed, or none.
  const sealed = sealedEvidence(jira.issues.get(ID)!.properties.get(EVIDENCE_PROPERTY_KEY), ID, key.publicKey).evidence.records.map((r) => r.executionId);
  return {
    gate: { verifier: verdict(await close('acc-verifier')), implementer: verdict(await close('acc-implementer')) },
    clock: view.clock.status,
    findings: view.findings.map((f) => f.code).filter((c) => c !== 'EVIDENCE_TAMPERED').sort(),
    tampered: view.findings.some((f) => f.code === 'EVIDENCE_TAMPERED'),
    sealedCounted: sealed,
  };
};

describe('property writes by users (issue 14)', () => {
  it('leave every decision as it is without them; only EVIDENCE_TAMPERED tells, and a key holder counts no record the app did not log', async () => {
    let tamperedSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        aScenario.chain((scenario) => {
          const log = [implemented, ...(scenario.approvedBy ? [postHoc(scenario.approvedBy, 5)] : [])];
          return fc.tuple(fc.constant(log), fc.array(aWrite(log), { minLength: 1, maxLength: 4 }));
        }),
        async ([log, writes]) => {
          const clean = await decisions(log, []);
          const written = await decisions(log, writes);
          expect(clean.tampered).toBe(false);
          expect({ gate: written.gate, clock: written.clock, findings: written.findings }).toEqual({ gate: clean.gate, clock: clean.clock, findings: clean.findings });
          const logged = new Set(log.map((e) => e.executionId));
          expect(written.sealedCounted.every((id) => logged.has(id))).toBe(true);
          if (written.tampered) tamperedSeen += 1;
        },
      ),
      seeded({ numRuns: runs(60) }),
    );
    // Not vacuous: most generated writes change the mirror, and are reported.
    expect(tamperedSeen).toBeGreaterThan(runs(60) / 3);
  });
});
