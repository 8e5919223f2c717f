/**
 * JQL errors as Jira reports them: one or more messages, answered with 400 and
 * `{ errorMessages, errors: {} }`. Syntax errors carry Jira's prefix and position suffix.
 */
export class JqlError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(' '));
    this.name = 'JqlError';
  }
}

const PREFIX = 'Error in the JQL Query:';

/** `(line L, character C)` for a 0-based offset, 1-based as Jira prints it. */
export const positionOf = (source: string, offset: number): string => {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `(line ${line}, character ${column})`;
};

export const syntaxError = (source: string, offset: number, message: string): JqlError =>
  new JqlError([`${PREFIX} ${message} ${positionOf(source, offset)}`]);

/** A syntax error found at the end of the query (Jira gives no position then). */
export const endError = (message: string): JqlError => new JqlError([`${PREFIX} ${message}`]);

/** Valid JQL that the sandbox does not evaluate: said plainly, in Jira's error shape. */
export const outsideSubset = (what: string): string => `${PREFIX} ${what} is outside the sandbox's JQL subset.`;

export const unknownField = (name: string): string => `Field '${name}' does not exist or you do not have permission to view it.`;
export const unknownValue = (value: string, field: string): string => `The value '${value}' does not exist for the field '${field}'.`;
export const unsupportedOperator = (operator: string, field: string): string => `The operator '${operator}' is not supported by the '${field}' field.`;
export const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
