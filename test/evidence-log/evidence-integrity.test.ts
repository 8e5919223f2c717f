import { appendEvidenceLog, readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { compareEvidence } from '../../src/evidence-log/evidence-integrity';
import { logRecordKey } from '../../src/evidence-log/log-keys';
import { projectLog } from '../../src/evidence-log/mirror';
import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { aLogEntry } from '../builders/log-entry.builder';
import { at } from '../builders/clock';
import { PEOPLE } from '../builders/people.builder';

const ISSUE = '10001';
const NOW = at(10);

const logged = async () => {
  const store = createMemoryKvs();
  await appendEvidenceLog(store, aLogEntry({ edge: 'approve', accountId: PEOPLE.approver, at: at(1).toISOString(), executionId: 'e-approve' }));
  await appendEvidenceLog(store, aLogEntry({ edge: 'implement', from: 'Scheduled', to: 'Implemented', accountId: PEOPLE.implementer, at: at(2).toISOString(), executionId: 'e-implement' }));
  return { store, reading: await readEvidenceLog(store, ISSUE) };
};

describe('compareEvidence', () => {
  it('finds nothing when the issue shows exactly the log', async () => {
    const { reading } = await logged();
    expect(compareEvidence(reading, projectLog(reading.records), NOW)).toEqual({ differences: [] });
  });

  it('names a record on the issue that the log does not have', async () => {
    const { reading } = await logged();
    const mirror = projectLog(reading.records);
    mirror.records.push({ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: PEOPLE.cab, at: at(3).toISOString(), executionId: 'forged' });
    expect(compareEvidence(reading, mirror, NOW).differences).toEqual([`the step Implemented → Implemented by ${PEOPLE.cab} at ${at(3).toISOString()} is on the issue but not in the app's log`]);
  });

  it('names the fields of a record altered on the issue', async () => {
    const { reading } = await logged();
    const mirror = projectLog(reading.records);
    mirror.records[1] = { ...mirror.records[1]!, accountId: PEOPLE.outsider, at: at(1.5).toISOString() };
    expect(compareEvidence(reading, mirror, NOW).differences).toEqual([
      `the step Scheduled → Implemented by ${PEOPLE.implementer} at ${at(2).toISOString()} was altered on the issue (accountId, at)`,
    ]);
  });

  it('names a record removed from the issue, once the recorder has had time to write it', async () => {
    const { reading } = await logged();
    const mirror = { version: 1, records: projectLog(reading.records).records.slice(0, 1) };
    const removed = `the step Scheduled → Implemented by ${PEOPLE.implementer} at ${at(2).toISOString()} is in the app's log but was removed from the issue`;
    expect(compareEvidence(reading, mirror, NOW).differences).toEqual([removed]);
    expect(compareEvidence(reading, mirror, new Date(at(2).getTime() + 4 * 60_000)).differences).toEqual([]);
    expect(compareEvidence(reading, mirror, new Date(at(2).getTime() + 5 * 60_000)).differences).toEqual([removed]);
  });

  it('treats a deleted property as every record removed', async () => {
    const { reading } = await logged();
    expect(compareEvidence(reading, undefined, NOW).differences).toHaveLength(2);
    expect(compareEvidence({ records: [], problems: [] }, null, NOW)).toEqual({ differences: [] });
  });

  it('says so when the property is not in the app format at all', async () => {
    const { reading } = await logged();
    expect(compareEvidence(reading, { records: 'mine' }, NOW).differences).toEqual(["the issue property cc81.evidence is not the app's record format"]);
  });

  it("reports the log's own chain problems", async () => {
    const { store } = await logged();
    const key = logRecordKey(ISSUE, 1);
    store.put(key, { ...(store.snapshot()[key] as object), accountId: PEOPLE.outsider });
    const reading = await readEvidenceLog(store, ISSUE);
    expect(compareEvidence(reading, projectLog(reading.records), NOW).differences).toEqual(['log record 1 no longer matches its hash']);
  });
});
