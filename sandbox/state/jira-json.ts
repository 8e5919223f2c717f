/** REST v3 JSON helpers shared by the sandbox: timestamps, users, ADF. */

/** Jira's timestamp format: `2026-03-15T23:10:00.000+0000`. */
export const jiraTimestamp = (date: Date): string => date.toISOString().replace('Z', '+0000');

export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: { type: 'paragraph'; content: { type: 'text'; text: string }[] }[];
}

/** A plain-text ADF document, one paragraph per line. */
export const adf = (text: string): AdfDocument => ({
  type: 'doc',
  version: 1,
  content: text.split('\n').map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })),
});

/** Whether a value is an ADF document (rich text as REST v3 holds it). */
export const isAdfDoc = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { type?: unknown }).type === 'doc' && Array.isArray((value as { content?: unknown }).content);

export const adfText = (doc: unknown): string => {
  const walk = (node: unknown): string => {
    if (!node || typeof node !== 'object') return '';
    const n = node as { type?: unknown; text?: unknown; content?: unknown };
    if (n.type === 'text' && typeof n.text === 'string') return n.text;
    const children = Array.isArray(n.content) ? n.content.map(walk) : [];
    return n.type === 'paragraph' ? children.join('') : children.join('\n');
  };
  return walk(doc);
};
