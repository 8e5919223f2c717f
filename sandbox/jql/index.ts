/** The sandbox's JQL: the subset the app emits, parsed and evaluated over a `SandboxState`. */
import type { SandboxIssue } from '../state/sandbox-state';
import { CompiledJql, compileJql, JqlContext } from './jql-evaluate';
import { JqlError, UNBOUNDED } from './jql-errors';
import { parseJql } from './jql-parser';

export * from './jql-ast';
export { compileJql } from './jql-evaluate';
export type { CompiledJql, JqlContext, SortValue } from './jql-evaluate';
export { JqlError } from './jql-errors';
export { parseJql } from './jql-parser';
export { printJql } from './jql-print';

/**
 * Parses and compiles a search's JQL. Like `/search/jql`, a query without a search restriction
 * (empty, or only ORDER BY) is refused. Throws `JqlError`.
 */
export const compileSearch = (jql: string, ctx: JqlContext): CompiledJql => {
  const query = parseJql(jql);
  if (!query.where) throw new JqlError([UNBOUNDED]);
  return compileJql(query, ctx);
};

/** Every issue of the site matching `jql`, in the query's order. */
export const searchAll = (jql: string, ctx: JqlContext): SandboxIssue[] => {
  const compiled = compileSearch(jql, ctx);
  return ctx.state.issues
    .filter((issue) => compiled.matches(issue))
    .map((issue) => ({ issue, key: compiled.sortKey(issue) }))
    .sort((a, b) => compiled.compare(a.key, b.key))
    .map(({ issue }) => issue);
};
