import { buildEvidenceIndex, buildTicketPack, fileStem, renderIndexHtml } from '../../src/evidence/evidence-pack.builder';
import { buildPopulation } from '../../src/evidence/population.builder';
import { buildSample } from '../../src/evidence/sample.builder';
import { aChange } from '../builders/change.builder';
import { compliantHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';
import { anAuditTicket } from '../builders/audit-ticket.builder';
import { at } from '../builders/clock';

const NOW = at(500);
const policy = aPolicy();

const setup = () => {
  const base = aChange({ key: 'CHG-1', state: 'Closed' });
  const change = { ...base, createdAt: at(0), fields: { ...base.fields, summary: '<img src=x onerror=alert(1)> rotate', implementer: { accountId: PEOPLE.implementer, displayName: 'Ivan <b>I</b>', active: false } } };
  const ticket = anAuditTicket(change, compliantHistory('normal'));
  const population = buildPopulation({ tickets: [ticket], period: { from: at(-1), to: at(1000) }, jql: 'project = "<CHG>"', effectiveJql: null, source: { kind: 'export', files: [] }, now: NOW }).record;
  const sample = buildSample(population, 1, 5);
  return { ticket: ticket as typeof ticket & { mapped: NonNullable<typeof ticket.mapped> }, population, sample };
};

describe('buildTicketPack', () => {
  it('has the fields, the timeline with actors, the segregation verdicts and findings; no viewer readiness', () => {
    const { ticket, population, sample } = setup();
    const pack = buildTicketPack({ ticket, policy, population, sample, now: NOW });
    const json = JSON.parse(pack.json) as Record<string, unknown> & { fields: { label: string; value: string | null }[]; timeline: { actor: { accountId: string } | null }[] };
    expect(json).toMatchObject({ format: 'cc81-evidence-pack', issueKey: 'CHG-1', population: { hash: population.hash.value }, sample: { seed: 5 } });
    expect(json.readiness).toBeUndefined();
    expect(json.fields).toContainEqual({ label: 'Implementer', value: `Ivan <b>I</b> (inactive) [${PEOPLE.implementer}]` });
    expect(json.timeline.filter((t) => t.actor).length).toBeGreaterThanOrEqual(5);
    expect(pack).toMatchObject({ jsonFile: 'tickets/CHG-1.json', htmlFile: 'tickets/CHG-1.html', exceptions: 0 });
  });

  it('escapes every value from Jira in the page', () => {
    const { ticket, population, sample } = setup();
    const { html } = buildTicketPack({ ticket, policy, population, sample, now: NOW });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>I</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; rotate');
    expect(html).toContain('<h2>Fields</h2>');
  });
});

describe('the index', () => {
  it('summarises exceptions, lists unreadable tickets and shows the completeness record, escaped', () => {
    const { ticket, population, sample } = setup();
    const pack = buildTicketPack({ ticket, policy, population, sample, now: NOW });
    const audit = { tickets: 2, ticketsWithExceptions: 1, exceptions: 0, notices: 0, beforeEnforcement: 0, unreadable: 1, byCode: { CAB_MISSING: 3 } };
    const index = buildEvidenceIndex({ population, sample, packs: [pack], unreadable: [{ key: 'CHG-9', problem: 'Jira status 77 is not mapped' }], audit, now: NOW });
    expect(index.summary).toEqual({ tickets: 2, withExceptions: 1, exceptions: 0, unreadable: 1, byCode: {} });
    const html = renderIndexHtml(index);
    expect(html).toContain(population.hash.value);
    expect(html).toContain('project = &quot;&lt;CHG&gt;&quot;');
    expect(html).toContain('href="tickets/CHG-1.html"');
    expect(html).toContain('Jira status 77 is not mapped');
    expect(html).toContain('<h2>Audit of the whole population</h2>');
    expect(html).toContain('CAB_MISSING 3');
  });

  it.each([
    ['CHG-12', 'CHG-12'],
    ['../etc/passwd', '___etc_passwd'],
    ['A B/C', 'A_B_C'],
  ])('file stem of %p is %p', (key, stem) => {
    expect(fileStem(key)).toBe(stem);
  });
});
