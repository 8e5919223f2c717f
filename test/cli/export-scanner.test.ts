import fc from 'fast-check';
import { ExportScanError, issueSlices } from '../../cli/export-scanner';

const slices = (text: string) => [...issueSlices(Buffer.from(text, 'utf8'))];

// Issues with awkward strings: quotes, backslashes, braces, brackets and non-ASCII text.
const awkward = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '☃', '😀', ' ', '\n') });
const issue = fc.record({ id: fc.nat().map(String), key: fc.nat().map((n) => `CHG-${n}`), fields: fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(awkward, fc.integer(), fc.constant(null), fc.array(awkward, { maxLength: 3 }))) });
const page = fc.record({ issues: fc.array(issue, { maxLength: 4 }), nextPageToken: fc.option(awkward, { nil: undefined }), isLast: fc.boolean() });
const exportDoc = fc.oneof(page, fc.array(page, { minLength: 1, maxLength: 3 }));

const issuesOf = (doc: unknown) => (Array.isArray(doc) ? doc : [doc]).flatMap((p: { issues: unknown[] }) => p.issues);

describe('issueSlices', () => {
  it('yields exactly the issues of a page or an array of pages, whitespace or not', () => {
    fc.assert(
      fc.property(exportDoc, fc.boolean(), (doc, pretty) => {
        const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
        expect(slices(text).map((s) => JSON.parse(s.json) as unknown)).toEqual(issuesOf(doc));
      }),
    );
  });

  it('refuses every truncation of a document', () => {
    fc.assert(
      fc.property(exportDoc, fc.double({ min: 0, max: 1, noNaN: true }), (doc, cut) => {
        const text = JSON.stringify(doc);
        const bytes = Buffer.from(text, 'utf8');
        const at = Math.min(bytes.length - 1, Math.floor(cut * bytes.length));
        expect(() => [...issueSlices(bytes.subarray(0, at))]).toThrow(ExportScanError);
      }),
    );
  });

  it.each([
    ['{"issues": [], "isLast": tru}', 'page 0.isLast is not valid JSON'],
    ['{"issues": [{"id": "1"}] "x": 1}', "expected ',' or '}'"],
    ['{"total": 3}', 'has no "issues" array'],
    ['[]', 'empty array of pages'],
    ['{"issues": []} {}', 'unexpected content after the export'],
    ['', 'unexpected end of file'],
  ])('refuses %p', (text, message) => {
    expect(() => slices(text)).toThrow(message);
  });

  it('numbers pages and issues, for error messages', () => {
    const got = slices(JSON.stringify([{ issues: [{ id: 'a' }] }, { issues: [{ id: 'b' }, { id: 'c' }] }]));
    expect(got.map((s) => [s.page, s.index])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
  });
});
