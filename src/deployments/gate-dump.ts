/**
 * The recorded gate calls as a file (`cc81 reconcile --from-gate FILE`): a JSON array of
 * `GateRecord`s as the app stores them (or `{ "records": [...] }`). Every record is checked against
 * its schema and its hash; one that does not parse or was altered refuses the file (never dropped).
 * The deployments are `deploymentsOfRecords`' (allowed calls only), each with its call id as id.
 */
import { deploymentsOfRecords, GateRecord, GateRecordSchema, isIntactGateRecord } from './gate-record';
import { DeploymentFileError, type LoggedDeployment } from './deployment-file';

const MAX_PROBLEMS = 20;

/** The records of a dump, each checked against its hash. */
export const parseGateDump = (file: string, content: string): GateRecord[] => {
  let json: unknown;
  try {
    json = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (cause) {
    throw new DeploymentFileError(file, [`not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`]);
  }
  const items = Array.isArray(json) ? json : typeof json === 'object' && json !== null && 'records' in json && Array.isArray(json.records) ? (json.records as unknown[]) : null;
  if (!items) throw new DeploymentFileError(file, ['expected a JSON array of recorded gate calls (or {"records": [...]})']);
  const records: GateRecord[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const parsed = GateRecordSchema.safeParse(item);
    if (!parsed.success) problems.push(`record ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join(', ')}`);
    else if (!isIntactGateRecord(parsed.data)) problems.push(`record ${index + 1} (call ${parsed.data.callId}): altered, its content no longer matches its hash`);
    else records.push(parsed.data);
  });
  if (problems.length) throw new DeploymentFileError(file, problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`] : problems);
  return records;
};

/** One deployment per allowed call, in the order of the calls' first records, with the call id as id. */
export const loggedDeploymentsOfRecords = (records: readonly GateRecord[]): LoggedDeployment[] =>
  deploymentsOfRecords(records).map(({ callId, ...deployment }) => ({ ...deployment, id: callId }));
