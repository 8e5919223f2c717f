/**
 * The golden scenario set in the sandbox, over HTTP and from an export file: each finding code on
 * the demo ticket that has it and on no other; sampling reproducible; the completeness hash stable
 * across sources and runs, and changed by any change to a ticket in the period.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES } from '../../src/domain';
import type { AuditReport } from '../../src/evidence/audit-report.builder';
import type { PopulationRecord } from '../../src/evidence/population.builder';
import type { SampleRecord } from '../../src/evidence/sample.builder';
import { DEMO_TICKETS } from '../../sandbox/demo/demo-tickets';
import { exportPublicKey, newStoredKey, signingKeyOf } from '../../src/evidence-log/mirror-seal';
import { EXIT } from '../../cli/cli-errors';
import { auth, exportPages, PERIOD, run, Sandbox, startDemoFiles, tempDir, writeJson } from './cli-fixture';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: string;
let policyFile: string;
let exportFile: string;
let site: string[];
/** The app's public evidence key, as the admin page shows it. */
let key: string;
beforeAll(async () => {
  ({ sandbox, dir, policyFile } = await startDemoFiles());
  exportFile = writeJson(dir, 'export.json', await exportPages(sandbox));
  key = exportPublicKey(signingKeyOf(sandbox.state.appSigningKey).publicKey);
  site = ['--site', sandbox.url, '--jql', 'project = CHG', '--policy', policyFile, ...PERIOD, '--evidence-key', key];
});
afterAll(async () => sandbox.close());

const fromExport = () => ['--export', exportFile, '--policy', policyFile, ...PERIOD, '--evidence-key', key];
const parse = <T>(text: string) => JSON.parse(text) as T;

/** Demo ticket i is CHG-(i+1). */
const expectedCodes = (key: string) => [...(DEMO_TICKETS[Number(key.split('-')[1]) - 1]?.expected ?? [])].sort();

describe.each([
  ['the sandbox site', () => site],
  ['an export file', fromExport],
])('cc81 audit from %s', (_label, args) => {
  let report: AuditReport;
  beforeAll(async () => {
    const { code, io } = await run(['audit', ...args(), '--format', 'json']);
    expect(code).toBe(0);
    report = parse<AuditReport>(io.stdoutText);
  });

  it('reads every demo ticket', () => {
    expect(report.tickets.map((t) => t.key)).toHaveLength(DEMO_TICKETS.length);
    expect(report.summary.unreadable).toBe(0);
  });

  it('finds each ticket’s answer-key codes, and nothing else', () => {
    for (const ticket of report.tickets) {
      expect({ key: ticket.key, codes: [...new Set(ticket.findings.map((f) => f.code))].sort() }).toEqual({ key: ticket.key, codes: expectedCodes(ticket.key) });
    }
  });

  it.each(FINDING_CODES.filter((code) => DEMO_TICKETS.some((t) => t.expected.includes(code))))('%s is on exactly the tickets that have it', (code) => {
    const found = report.tickets.filter((t) => t.findings.some((f) => f.code === code)).map((t) => t.key);
    const expected = DEMO_TICKETS.flatMap((t, i) => (t.expected.includes(code) ? [`CHG-${i + 1}`] : []));
    expect(found).toEqual(expected);
  });
});

describe('population and sample', () => {
  it('gives the same record from the site and from the export of the same tickets', async () => {
    const a = parse<PopulationRecord>((await run(['population', ...site])).io.stdoutText);
    const b = parse<PopulationRecord>((await run(['population', ...fromExport()])).io.stdoutText);
    expect(a.count).toBe(DEMO_TICKETS.length);
    expect(b.hash.value).toBe(a.hash.value);
    expect(b.items).toEqual(a.items);
    expect(a.effectiveJql).toContain('(project = CHG) AND updated >=');
    expect(b.source).toMatchObject({ kind: 'export', files: [{ name: exportFile }] });
  });

  it('samples reproducibly: same population and seed, same keys; another seed, other keys', async () => {
    const draw = async (seed: string, args = site) => parse<SampleRecord>((await run(['sample', ...args, '--size', '8', '--seed', seed])).io.stdoutText);
    const first = await draw('20260101');
    const again = await draw('20260101');
    const offline = await draw('20260101', fromExport());
    const other = await draw('7');
    expect(first.keys).toHaveLength(8);
    expect(again.keys).toEqual(first.keys);
    expect(offline.keys).toEqual(first.keys);
    expect(other.keys).not.toEqual(first.keys);
    expect(first.populationHash).toBe(parse<PopulationRecord>((await run(['population', ...site])).io.stdoutText).hash.value);
  });

  it('changes the completeness hash when any ticket in the period changes, and only then', async () => {
    const hash = async () => parse<PopulationRecord>((await run(['population', ...site])).io.stdoutText).hash.value;
    const before = await hash();
    expect(await hash()).toBe(before);
    const summaryField = 'summary';
    const res = await fetch(`${sandbox.url}/rest/api/3/issue/CHG-5`, {
      method: 'PUT',
      headers: { Authorization: `Basic ${Buffer.from(`${auth().JIRA_EMAIL}:x`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { [summaryField]: 'Enable HSTS preload on www (edited)' } }),
    });
    expect(res.status).toBe(204);
    const after = await hash();
    expect(after).not.toBe(before);
  });
});

describe('cc81 evidence', () => {
  it('writes one pack per sampled ticket, the index and the completeness record', async () => {
    const out = join(tempDir(), 'packs');
    const { code, io } = await run(['evidence', ...fromExport(), '--size', '6', '--seed', '42', '--out', out]);
    expect(code).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { tickets: { key: string; html: string; json: string; codes: string[] }[]; sample: { keys: string[] } };
    const sample = JSON.parse(readFileSync(join(out, 'sample.json'), 'utf8')) as SampleRecord;
    const population = JSON.parse(readFileSync(join(out, 'population.json'), 'utf8')) as PopulationRecord;
    expect(index.tickets.map((t) => t.key)).toEqual(sample.keys);
    expect(population.count).toBe(DEMO_TICKETS.length);
    const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')) as AuditReport;
    expect(audit.tickets).toHaveLength(DEMO_TICKETS.length);
    expect(audit.summary.byCode.EMERGENCY_POSTHOC_LATE).toBe(1);
    for (const t of index.tickets) {
      const html = readFileSync(join(out, t.html), 'utf8');
      const pack = JSON.parse(readFileSync(join(out, t.json), 'utf8')) as { issueKey: string; timeline: { actor: unknown; at: string }[]; fields: { label: string }[]; pairs: { pair: string }[]; findings: { code: string }[] };
      expect(pack.issueKey).toBe(t.key);
      expect(pack.fields.map((f) => f.label)).toContain('Implementer');
      expect(pack.pairs.map((p) => p.pair)).toEqual(['approver-implementer', 'verifier-implementer', 'approver-verifier']);
      expect([...new Set(pack.findings.map((f) => f.code))].sort()).toEqual(expectedCodes(t.key));
      expect(html).toContain(`CC8.1 evidence: ${t.key}`);
      expect(html).toContain('<h2>Fields</h2>');
      expect(html).toContain('<h2>Segregation of duties</h2>');
    }
    const indexHtml = readFileSync(join(out, 'index.html'), 'utf8');
    expect(indexHtml).toContain(population.hash.value);
    expect(io.stderrText).toContain('wrote 6 evidence pack(s)');
  });
});

describe('cc81 audit and the evidence key', () => {
  const tampered = DEMO_TICKETS.flatMap((t, i) => (t.tamper ? [`CHG-${i + 1}`] : []));

  it('without the key, warns that the records were not checked (a forged post-hoc approval then counts)', async () => {
    const { code, io } = await run(['audit', ...fromExport().slice(0, -2), '--format', 'json']);
    expect(code).toBe(0);
    expect(io.stderrText).toContain('evidence records not checked');
    const report = parse<AuditReport>(io.stdoutText);
    expect(report.summary.byCode.EVIDENCE_TAMPERED ?? 0).toBe(0);
    const forged = report.tickets.find((t) => t.key === tampered[0])!;
    expect(forged.findings.map((f) => f.code)).not.toContain('EMERGENCY_POSTHOC_MISSING');
  });

  it('with another site\'s key, reports every sealed mirror as not sealed by that key', async () => {
    const other = exportPublicKey(signingKeyOf(newStoredKey(new Date(0))).publicKey);
    const { io } = await run(['audit', ...fromExport().slice(0, -2), '--evidence-key', other, '--format', 'json']);
    const report = parse<AuditReport>(io.stdoutText);
    const withMirror = sandbox.state.issues.filter((i) => i.properties['cc81.evidence'] !== undefined).map((i) => i.key);
    expect(report.tickets.filter((t) => t.findings.some((f) => f.code === 'EVIDENCE_TAMPERED')).map((t) => t.key).sort()).toEqual([...withMirror].sort());
    expect(JSON.stringify(report)).toContain('not with the evidence key given');
  });

  it('reads the key from a file, and refuses a key that is not one, saying where to find it', async () => {
    const file = join(dir, 'evidence-key.txt');
    writeFileSync(file, `${key}\n`);
    const fromFile = await run(['audit', ...fromExport().slice(0, -2), '--evidence-key', file, '--format', 'json']);
    expect(parse<AuditReport>(fromFile.io.stdoutText).summary.byCode.EVIDENCE_TAMPERED).toBe(tampered.length);
    // As the README does it: the sandbox's admin answer, saved as it comes.
    const json = join(dir, 'evidence-key.json');
    writeFileSync(json, await (await fetch(`${sandbox.url}/sandbox/admin/evidence-key`)).text());
    const fromJson = await run(['audit', ...fromExport().slice(0, -2), '--evidence-key', json, '--format', 'json']);
    expect(parse<AuditReport>(fromJson.io.stdoutText).summary.byCode.EVIDENCE_TAMPERED).toBe(tampered.length);
    const bad = await run(['audit', ...fromExport().slice(0, -2), '--evidence-key', 'QUJD']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.io.stderrText).toContain('copy it from the CC8.1 admin page');
  });
});
