/**
 * The value conversions of the sandbox UI's client script (sandbox/pages/assets/sandbox-ui.js),
 * run in Node: the script exposes them as `Cc81SandboxHelpers` and starts the app only in a browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import type { PageFieldConfig } from '../../../sandbox/pages';

interface Helpers {
  adfToText(node: unknown): string;
  textToAdf(text: string): unknown;
  parseJiraTimestamp(value: unknown): Date | null;
  toDatetimeLocal(date: Date): string;
  fromDatetimeLocal(value: string): string | null;
  basicAuth(email: string): string;
  displayValue(field: PageFieldConfig, value: unknown, users: unknown[]): { text: string; empty?: boolean; deactivated?: boolean };
  inputValue(field: PageFieldConfig, value: unknown): string;
  restValue(field: PageFieldConfig, input: string): unknown;
  errorLines(body: unknown, labelOf?: (id: string) => string): string[];
}

const loadHelpers = (): Helpers => {
  const source = readFileSync(join(__dirname, '../../../sandbox/pages/assets/sandbox-ui.js'), 'utf8');
  const context = createContext({ Buffer });
  runInContext(source, context);
  return (context as { Cc81SandboxHelpers: Helpers }).Cc81SandboxHelpers;
};

const h = loadHelpers();

const field = (type: PageFieldConfig['type'], extra: Partial<PageFieldConfig> = {}): PageFieldConfig => ({ key: 'testPlan', label: 'Test plan', type, fieldId: 'customfield_10053', ...extra });
const RISK = field('option', {
  key: 'risk',
  label: 'Risk rating',
  options: [
    { value: 'low', label: 'Low', id: '10200' },
    { value: 'high', label: 'High', id: '10202' },
  ],
});
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)); // across the vm realm

describe('sandbox UI helpers', () => {
  it('converts rich text between ADF and plain text, one paragraph per line', () => {
    const doc = h.textToAdf('Run smoke tests.\n\nWatch dashboards.');
    expect(plain(doc)).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Run smoke tests.' }] },
        { type: 'paragraph', content: [] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Watch dashboards.' }] },
      ],
    });
    expect(h.adfToText(doc)).toBe('Run smoke tests.\n\nWatch dashboards.');
    expect(h.adfToText({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] }] })).toBe('a\nb');
  });

  it('sends each field type in its REST v3 input shape, and blank as null', () => {
    expect(plain(h.restValue(field('richtext'), 'Steps'))).toEqual({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Steps' }] }] });
    expect(h.restValue(field('richtext'), '  ')).toBeNull();
    expect(plain(h.restValue(RISK, 'high'))).toEqual({ id: '10202' });
    expect(plain(h.restValue(field('user'), 'abc-123'))).toEqual({ accountId: 'abc-123' });
    expect(plain(h.restValue(field('labels'), ' prod-eu-1, svc-5 ,, '))).toEqual(['prod-eu-1', 'svc-5']);
    expect(h.restValue(field('labels'), ' , ')).toBeNull();
    expect(h.restValue(field('string'), 'CAB-7')).toBe('CAB-7');
    expect(h.restValue(field('datetime'), '')).toBeNull();
    expect(h.restValue(field('datetime'), '2026-12-01T22:00')).toMatch(/^2026-12-0[12]T\d{2}:00:00\.000\+0000$/);
  });

  it('pre-fills inputs from REST values', () => {
    expect(h.inputValue(RISK, { self: 'x', value: 'High', id: '10202' })).toBe('high');
    expect(h.inputValue(RISK, { value: 'Low' })).toBe('low');
    expect(h.inputValue(field('user'), { accountId: 'abc', displayName: 'Ada' })).toBe('abc');
    expect(h.inputValue(field('labels'), ['a', 'b'])).toBe('a, b');
    expect(h.inputValue(field('richtext'), h.textToAdf('x\ny'))).toBe('x\ny');
    expect(h.inputValue(field('string'), null)).toBe('');
  });

  it('round-trips date-times through datetime-local in the local zone, to the minute', () => {
    const date = h.parseJiraTimestamp('2026-03-15T23:10:00.000+0000')!;
    expect(date.getTime()).toBe(Date.parse('2026-03-15T23:10:00.000Z'));
    expect(h.fromDatetimeLocal(h.toDatetimeLocal(date))).toBe('2026-03-15T23:10:00.000+0000');
    expect(h.parseJiraTimestamp('2026-03-15T23:10:00.000+0530')!.getTime()).toBe(Date.parse('2026-03-15T17:40:00.000Z'));
    expect(h.parseJiraTimestamp('soon')).toBeNull();
  });

  it('shows options by label, users by name with deactivated users marked, and empty values as None', () => {
    expect(h.displayValue(RISK, { value: 'High', id: '10202' }, [])).toEqual({ text: 'High' });
    expect(plain(h.displayValue(field('user'), { accountId: 'f', displayName: 'Former user', active: false }, []))).toEqual({ text: 'Former user', deactivated: true });
    expect(plain(h.displayValue(field('user'), { accountId: 'f' }, [{ accountId: 'f', displayName: 'Fay', active: false }]))).toEqual({ text: 'Fay', deactivated: true });
    expect(h.displayValue(field('richtext'), h.textToAdf(''), [])).toEqual({ text: 'None', empty: true });
    expect(h.displayValue(field('labels'), [], [])).toEqual({ text: 'None', empty: true });
  });

  it('reads and writes a site\'s own field types (issue 16): several people, a group, components, checkboxes, a day', () => {
    expect(plain(h.restValue(field('multiuser'), 'a1,a2'))).toEqual([{ accountId: 'a1' }, { accountId: 'a2' }]);
    expect(h.restValue(field('multiuser'), '')).toBeNull();
    expect(h.inputValue(field('multiuser'), [{ accountId: 'a1' }, { accountId: 'a2' }])).toBe('a1,a2');
    expect(h.displayValue(field('multiuser'), [{ accountId: 'a1', displayName: 'Ada' }, { accountId: 'a2', displayName: 'Carl' }], []).text).toBe('Ada, Carl');
    expect(plain(h.restValue(field('group'), ' change-verifiers '))).toEqual({ name: 'change-verifiers' });
    expect(h.inputValue(field('group'), { name: 'change-verifiers', groupId: 'g' })).toBe('change-verifiers');
    expect(h.displayValue(field('group'), { name: 'change-verifiers' }, []).text).toBe('Group: change-verifiers');
    expect(plain(h.restValue(field('components'), 'Payments, Ledger'))).toEqual([{ name: 'Payments' }, { name: 'Ledger' }]);
    expect(h.inputValue(field('components'), [{ id: '1', name: 'Payments' }])).toBe('Payments');
    expect(plain(h.restValue(field('multioption'), 'Done'))).toEqual([{ value: 'Done' }]);
    expect(h.restValue(field('date'), '2026-03-29')).toBe('2026-03-29');
  });

  it("lists Jira's error body as messages, then labelled field errors", () => {
    expect(plain(h.errorLines({ errorMessages: ['Fill in Test plan to Approve.'], errors: { customfield_10053: 'Bad value' } }, (id) => (id === 'customfield_10053' ? 'Test plan' : id)))).toEqual([
      'Fill in Test plan to Approve.',
      'Test plan: Bad value',
    ]);
    expect(plain(h.errorLines(null))).toEqual([]);
  });

  it('authenticates with basic auth: the email and any token', () => {
    const header = h.basicAuth('ada.approver@example.com');
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()).toBe('ada.approver@example.com:sandbox-api-token');
  });
});
