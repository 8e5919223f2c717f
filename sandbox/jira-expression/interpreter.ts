/**
 * Strict, test-only interpreter for the subset of Jira expressions that the rule compiler emits.
 *
 * - Parsing uses the TypeScript compiler API (JS script kind). A program is zero or more
 *   `let name = expr;` declarations followed by one expression statement, as in Jira's grammar.
 * - Whitelist: any syntax outside the subset throws `ExpressionSubsetError` (node kind and line:column).
 *   The whole program is checked before evaluation, so untaken branches are checked too.
 * - Semantics follow Jira where the research (FACTS.md) says something, and are *stricter* where it is
 *   silent. Runtime failures that would make Jira's evaluation fail (so the rule fails closed) throw
 *   `JiraEvaluationError`.
 * - Cost: every read of `issue.customfield_N`, of an issue entity property and of `user.groups` is an
 *   expensive operation, counted on EACH access (whether Jira counts a repeated read again is unconfirmed).
 *   The distinct count is reported too.
 */
import ts from 'typescript';
import {
  JiraDate,
  JiraEntityProperties,
  JiraIssue,
  JiraMap,
  JiraRichText,
  JiraUser,
  adfPlainText,
  jiraTypeName,
  parseJiraTimestamp,
  toJiraValue,
  type JiraValue,
} from './object-model';

// ---------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** 0-based offset into the source. */
  offset: number;
}

/** The source uses syntax outside the compiler's subset (or names an unknown identifier). */
export class ExpressionSubsetError extends Error {
  constructor(
    readonly reason: string,
    /** `ts.SyntaxKind` name of the offending node, e.g. `TemplateExpression`. */
    readonly kind: string,
    readonly position: SourcePosition,
  ) {
    super(`${reason} [${kind}] at ${position.line}:${position.column}`);
    this.name = 'ExpressionSubsetError';
  }
}

export type JiraEvaluationErrorCode =
  | 'NULL_MEMBER'
  | 'UNKNOWN_MEMBER'
  | 'UNKNOWN_METHOD'
  | 'TYPE'
  | 'BAD_ARGUMENT'
  | 'MISSING_NOW'
  | 'LIMIT';

/** Evaluation fails as it would in Jira: the condition/validator then fails closed. */
export class JiraEvaluationError extends Error {
  constructor(
    readonly code: JiraEvaluationErrorCode,
    readonly reason: string,
    readonly position?: SourcePosition,
  ) {
    super(position ? `${reason} at ${position.line}:${position.column}` : reason);
    this.name = 'JiraEvaluationError';
  }
}

export interface JiraExpressionOptions {
  /**
   * `strict` (default): operands of `!`, `&&`, `||`, the test of `?:` and the results of `some`/`every`/`filter`
   * callbacks must be Booleans (stricter than Jira, which uses JS-like truthiness).
   * `truthy`: Jira/JS truthiness; `&&`/`||` return an operand.
   */
  booleans?: 'strict' | 'truthy';
  /** Expensive-operation limit; exceeding it fails evaluation. Default 10 (workflow rules). */
  maxExpensiveOps?: number;
  /** Source length limit in characters; default 1,000. */
  maxLength?: number;
}

export interface ExpensiveRead {
  kind: 'customField' | 'entityProperty' | 'userGroups';
  key: string;
}

export interface JiraExpressionRun {
  value: unknown;
  /** Expensive operations, counting every access. */
  expensiveOps: number;
  /** Expensive operations counting each distinct field/property/user once. */
  distinctExpensiveOps: number;
  expensiveReads: ExpensiveRead[];
  /** Evaluated nodes (an approximation of Jira's "steps"). */
  steps: number;
  length: number;
}

export const JIRA_EXPRESSION_LIMITS = { maxExpensiveOps: 10, maxLength: 1_000 } as const;

/** The whitelisted node kinds (for documentation and tests). */
export const ALLOWED_SYNTAX = [
  'let declaration (one identifier with an initializer, top level only)',
  'final expression statement',
  'string, number, true, false, null literals',
  'identifiers (context variables, let names, arrow parameters)',
  'a.b, a?.b, a["literal"], a?.["literal"]',
  'array literals (no spread, no holes)',
  '( … )',
  '!',
  '&&, ||, ==, !=, <, <=, >, >=, +',
  'a ? b : c',
  'x => expression (one identifier parameter)',
  'new Date(), new Date(string), new RichText(adfMap)',
  'method calls from ALLOWED_METHODS',
] as const;

export const ALLOWED_METHODS = {
  List: ['includes', 'some', 'every', 'filter', 'map', 'join'],
  String: ['trim', 'includes', 'toLowerCase'],
  Date: ['getTime'],
} as const;

/** Members readable without a call: `length` on List/String, `plainText` on RichText, plus the object model's members. */
export const ALLOWED_PROPERTIES = {
  List: ['length'],
  String: ['length'],
  RichText: ['plainText'],
  User: ['accountId', 'displayName', 'active', 'groups'],
  Issue: ['key', 'summary', 'description', 'reporter', 'assignee', 'labels', 'components', 'properties', 'customfield_<n>'],
} as const;

/**
 * Evaluates `source` in `context` (context variables by name, e.g. `issue`, `user`, `config`; plain objects become
 * Maps). `context.__now` (JiraDate | Date | ISO string | epoch ms) is what `new Date()` returns.
 */
export function evaluateJiraExpression(
  source: string,
  context: Record<string, unknown>,
  options: JiraExpressionOptions = {},
): unknown {
  return runJiraExpression(source, context, options).value;
}

export function runJiraExpression(
  source: string,
  context: Record<string, unknown>,
  options: JiraExpressionOptions = {},
): JiraExpressionRun {
  const maxLength = options.maxLength ?? JIRA_EXPRESSION_LIMITS.maxLength;
  if (source.length > maxLength) {
    throw new JiraEvaluationError('LIMIT', `Jira expression is too long (${source.length}), limit: ${maxLength} characters`);
  }
  const sf = parseSource(source);
  const diagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first) {
    throw new ExpressionSubsetError(
      `Syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`,
      'SyntaxError',
      positionOf(sf, first.start),
    );
  }

  const { variables, now } = prepareContext(context);
  const checker = new SubsetChecker(sf);
  const statements = checker.checkProgram(new Set(variables.keys()));

  const evaluator = new Evaluator(sf, now, {
    booleans: options.booleans ?? 'strict',
    maxExpensiveOps: options.maxExpensiveOps ?? JIRA_EXPRESSION_LIMITS.maxExpensiveOps,
  });
  let env = new Env(variables, null);
  for (const declaration of statements.lets) {
    const value = evaluator.evaluate(declaration.initializer, env);
    env = new Env(new Map([[declaration.name, value]]), env);
  }
  const value = evaluator.evaluate(statements.body, env);
  const distinct = new Set(evaluator.reads.map((read) => `${read.kind}:${read.key}`));
  return {
    value,
    expensiveOps: evaluator.reads.length,
    distinctExpensiveOps: distinct.size,
    expensiveReads: evaluator.reads,
    steps: evaluator.steps,
    length: source.length,
  };
}

/** What `POST /rest/api/3/expression/analyse` can tell without evaluating: parse, subset check, static cost. */
export type JiraExpressionAnalysis =
  | { valid: true; length: number; expensiveOps: number }
  | { valid: false; length: number; error: ExpressionSubsetError | JiraEvaluationError };

/**
 * Checks `source` as `runJiraExpression` would before evaluating (length, syntax, the compiler's
 * subset, with `contextNames` in scope) and counts its expensive operations statically: every
 * `customfield_N` read, entity property read and `.groups` read in the text (each occurrence once;
 * a read inside a loop over a list counts once here, more at run time).
 */
export function analyseJiraExpression(source: string, contextNames: readonly string[], options: Pick<JiraExpressionOptions, 'maxLength'> = {}): JiraExpressionAnalysis {
  const maxLength = options.maxLength ?? JIRA_EXPRESSION_LIMITS.maxLength;
  if (source.length > maxLength) {
    return { valid: false, length: source.length, error: new JiraEvaluationError('LIMIT', `Jira expression is too long (${source.length}), limit: ${maxLength} characters`) };
  }
  const sf = parseSource(source);
  const first = ((sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [])[0];
  if (first) {
    return { valid: false, length: source.length, error: new ExpressionSubsetError(`Syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`, 'SyntaxError', positionOf(sf, first.start)) };
  }
  try {
    new SubsetChecker(sf).checkProgram(new Set(contextNames));
  } catch (error) {
    if (error instanceof ExpressionSubsetError) return { valid: false, length: source.length, error };
    throw error;
  }
  let expensiveOps = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      const onProperties = ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'properties';
      if (/^customfield_\d+$/.test(name) || name === 'groups' || onProperties) expensiveOps += 1;
    } else if (ts.isElementAccessExpression(node)) {
      const target = node.expression;
      if (ts.isPropertyAccessExpression(target) && target.name.text === 'properties') expensiveOps += 1;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { valid: true, length: source.length, expensiveOps };
}

/** Parses `source` as every entry point here does (TypeScript's parser, JS script kind). */
function parseSource(source: string): ts.SourceFile {
  return ts.createSourceFile('expression.js', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
}

/**
 * Leaves of the syntax tree this interpreter parses `source` into: nodes without child nodes
 * (identifiers, literals, and the operator tokens the tree keeps), the end-of-file token excluded.
 * An independent check of the compiler's `countLeaves`; throws on a syntax error.
 */
export function syntaxTreeLeaves(source: string): number {
  const sf = parseSource(source);
  const first = ((sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [])[0];
  if (first) throw new ExpressionSubsetError(`Syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`, 'SyntaxError', positionOf(sf, first.start));
  let leaves = 0;
  const visit = (node: ts.Node): void => {
    let children = 0;
    ts.forEachChild(node, (child) => {
      children += 1;
      visit(child);
    });
    if (children === 0) leaves += 1;
  };
  sf.statements.forEach(visit);
  return leaves;
}

/** How a workflow validator treats a result: only `true` passes; a String is shown as the error; anything else blocks. */
export function validatorOutcome(value: unknown): { pass: true } | { pass: false; message: string | null } {
  if (value === true) return { pass: true };
  return { pass: false, message: typeof value === 'string' ? value : null };
}

// ---------------------------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function prepareContext(context: Record<string, unknown>): { variables: Map<string, Value>; now: JiraDate | null } {
  const variables = new Map<string, Value>();
  let now: JiraDate | null = null;
  for (const [name, raw] of Object.entries(context)) {
    if (name === '__now') {
      now = toNow(raw);
      continue;
    }
    if (!IDENTIFIER.test(name)) throw new Error(`context variable name is not an identifier: ${name}`);
    variables.set(name, toJiraValue(raw, false));
  }
  return { variables, now };
}

function toNow(raw: unknown): JiraDate {
  if (raw instanceof JiraDate) return raw;
  if (raw instanceof Date) return new JiraDate(raw.getTime());
  if (typeof raw === 'number') return new JiraDate(raw);
  if (typeof raw === 'string') {
    const millis = parseJiraTimestamp(raw);
    if (millis !== null) return new JiraDate(millis);
  }
  throw new Error('context.__now must be a JiraDate, a Date, an ISO timestamp or epoch milliseconds');
}

// ---------------------------------------------------------------------------------------------------------
// Static subset check
// ---------------------------------------------------------------------------------------------------------

type Chainable = ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression;

const BINARY_OPERATORS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.PlusToken,
]);

const METHOD_NAMES = new Set<string>(Object.values(ALLOWED_METHODS).flat());

interface CheckedProgram {
  lets: { name: string; initializer: ts.Expression }[];
  body: ts.Expression;
}

class SubsetChecker {
  constructor(private readonly sf: ts.SourceFile) {}

  checkProgram(contextNames: ReadonlySet<string>): CheckedProgram {
    const statements = this.sf.statements;
    const last = statements[statements.length - 1];
    if (!last) throw this.error(this.sf, 'An expression program needs a final expression');
    const scope = new Set(contextNames);
    const lets: CheckedProgram['lets'] = [];
    for (const statement of statements) {
      if (statement === last) break;
      if (!ts.isVariableStatement(statement)) {
        throw this.error(statement, 'Only `let` declarations may precede the final expression');
      }
      const list = statement.declarationList;
      if (statement.modifiers?.length || (list.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Let) {
        throw this.error(statement, 'Only `let` declarations are allowed (not var/const/using)');
      }
      const [declaration, ...more] = list.declarations;
      if (!declaration || more.length > 0) throw this.error(statement, 'One declaration per `let`');
      if (!ts.isIdentifier(declaration.name)) throw this.error(declaration.name, 'A `let` declares one identifier');
      if (declaration.type || declaration.exclamationToken) throw this.error(declaration, 'No type annotations');
      if (!declaration.initializer) throw this.error(declaration, 'A `let` needs an initializer');
      const name = declaration.name.text;
      if (scope.has(name)) throw this.error(declaration.name, `\`${name}\` is already declared`);
      this.checkExpression(declaration.initializer, scope);
      scope.add(name);
      lets.push({ name, initializer: declaration.initializer });
    }
    if (!ts.isExpressionStatement(last)) throw this.error(last, 'The program must end with an expression');
    this.checkExpression(last.expression, scope);
    return { lets, body: last.expression };
  }

  private checkExpression(node: ts.Expression, scope: ReadonlySet<string>): void {
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
      case ts.SyntaxKind.NullKeyword:
        return;
      case ts.SyntaxKind.Identifier: {
        const name = (node as ts.Identifier).text;
        if (!scope.has(name)) throw this.error(node, `Unknown identifier \`${name}\``);
        return;
      }
      case ts.SyntaxKind.ParenthesizedExpression:
        return this.checkExpression((node as ts.ParenthesizedExpression).expression, scope);
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression;
        if (unary.operator !== ts.SyntaxKind.ExclamationToken) {
          throw this.error(node, `Unary operator \`${ts.tokenToString(unary.operator)}\` is not in the subset`);
        }
        return this.checkExpression(unary.operand, scope);
      }
      case ts.SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        if (!BINARY_OPERATORS.has(binary.operatorToken.kind)) {
          throw this.error(binary.operatorToken, `Operator \`${binary.operatorToken.getText(this.sf)}\` is not in the subset`);
        }
        this.checkExpression(binary.left, scope);
        return this.checkExpression(binary.right, scope);
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        this.checkExpression(conditional.condition, scope);
        this.checkExpression(conditional.whenTrue, scope);
        return this.checkExpression(conditional.whenFalse, scope);
      }
      case ts.SyntaxKind.ArrayLiteralExpression:
        for (const element of (node as ts.ArrayLiteralExpression).elements) {
          if (ts.isSpreadElement(element) || ts.isOmittedExpression(element)) {
            throw this.error(element, 'Spread and holes are not in the subset');
          }
          this.checkExpression(element, scope);
        }
        return;
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        if (!ts.isIdentifier(access.name)) throw this.error(access.name, 'Private names are not in the subset');
        return this.checkExpression(access.expression, scope);
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        if (!ts.isStringLiteral(access.argumentExpression)) {
          throw this.error(access.argumentExpression, 'Computed access needs a string literal index');
        }
        return this.checkExpression(access.expression, scope);
      }
      case ts.SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        if (call.questionDotToken) throw this.error(call, 'Optional calls `f?.()` are not in the subset');
        if (call.typeArguments) throw this.error(call, 'No type arguments');
        if (!ts.isPropertyAccessExpression(call.expression) || !ts.isIdentifier(call.expression.name)) {
          throw this.error(call.expression, 'Only method calls `receiver.method(…)` are in the subset');
        }
        const method = call.expression.name.text;
        if (!METHOD_NAMES.has(method)) throw this.error(call.expression.name, `Method \`${method}\` is not whitelisted`);
        this.checkExpression(call.expression.expression, scope);
        for (const argument of call.arguments) {
          if (ts.isSpreadElement(argument)) throw this.error(argument, 'Spread is not in the subset');
          this.checkExpression(argument, scope);
        }
        return;
      }
      case ts.SyntaxKind.ArrowFunction: {
        const arrow = node as ts.ArrowFunction;
        if (arrow.modifiers?.length || arrow.typeParameters || arrow.type) {
          throw this.error(arrow, 'Arrow functions may not be async or typed');
        }
        const [parameter, ...rest] = arrow.parameters;
        if (!parameter || rest.length > 0) throw this.error(arrow, 'Arrow functions take exactly one parameter');
        if (
          !ts.isIdentifier(parameter.name) ||
          parameter.dotDotDotToken ||
          parameter.initializer ||
          parameter.questionToken ||
          parameter.type
        ) {
          throw this.error(parameter, 'An arrow parameter is a plain identifier');
        }
        if (ts.isBlock(arrow.body)) throw this.error(arrow.body, 'Arrow functions need an expression body');
        const inner = new Set(scope);
        inner.add(parameter.name.text);
        return this.checkExpression(arrow.body, inner);
      }
      case ts.SyntaxKind.NewExpression: {
        const construct = node as ts.NewExpression;
        const callee = construct.expression;
        if (!ts.isIdentifier(callee) || (callee.text !== 'Date' && callee.text !== 'RichText')) {
          throw this.error(callee, 'Only `new Date(…)` and `new RichText(…)` are in the subset');
        }
        if (construct.typeArguments) throw this.error(construct, 'No type arguments');
        const args = construct.arguments;
        if (!args) throw this.error(construct, '`new` needs an argument list');
        const allowed = callee.text === 'Date' ? args.length <= 1 : args.length === 1;
        if (!allowed) throw this.error(construct, `Wrong number of arguments to \`new ${callee.text}\``);
        for (const argument of args) {
          if (ts.isSpreadElement(argument)) throw this.error(argument, 'Spread is not in the subset');
          this.checkExpression(argument, scope);
        }
        return;
      }
      default:
        throw this.error(node, 'Syntax not in the Jira-expression subset');
    }
  }

  private error(node: ts.Node, reason: string): ExpressionSubsetError {
    const start = node.kind === ts.SyntaxKind.SourceFile ? 0 : node.getStart(this.sf);
    return new ExpressionSubsetError(reason, kindName(node.kind), positionOf(this.sf, start));
  }
}

/** `ts.SyntaxKind` names without the `First…`/`Last…` marker aliases (the enum's reverse map prefers those). */
const KIND_NAMES: ReadonlyMap<number, string> = (() => {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(ts.SyntaxKind)) {
    if (typeof value !== 'number' || /^(First|Last)/.test(name)) continue;
    if (!names.has(value)) names.set(value, name);
  }
  return names;
})();

function kindName(kind: ts.SyntaxKind): string {
  return KIND_NAMES.get(kind) ?? ts.SyntaxKind[kind];
}

function positionOf(sf: ts.SourceFile, offset: number): SourcePosition {
  const { line, character } = sf.getLineAndCharacterOfPosition(offset);
  return { line: line + 1, column: character + 1, offset };
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------------------

class Lambda {
  constructor(
    readonly parameter: string,
    readonly body: ts.Expression,
    readonly env: Env,
  ) {}
}

type Value = JiraValue | Lambda;

class Env {
  constructor(
    private readonly vars: ReadonlyMap<string, Value>,
    private readonly parent: Env | null,
  ) {}

  lookup(name: string): Value {
    if (this.vars.has(name)) return this.vars.get(name) as Value;
    // The static check guarantees every identifier resolves.
    if (!this.parent) throw new Error(`internal: unresolved identifier ${name}`);
    return this.parent.lookup(name);
  }
}

/** Result of an optional chain that short-circuited (`null?.x…`); becomes null at the chain's end. */
const SHORT_CIRCUIT: unique symbol = Symbol('short-circuit');
type ChainResult = Value | typeof SHORT_CIRCUIT;

interface EvaluatorOptions {
  booleans: 'strict' | 'truthy';
  maxExpensiveOps: number;
}

class Evaluator {
  steps = 0;
  readonly reads: ExpensiveRead[] = [];

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly now: JiraDate | null,
    private readonly options: EvaluatorOptions,
  ) {}

  evaluate(node: ts.Expression, env: Env): Value {
    if (ts.isParenthesizedExpression(node)) return this.evaluate(node.expression, env);
    this.steps += 1;
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
        return (node as ts.StringLiteral).text;
      case ts.SyntaxKind.NumericLiteral:
        return Number((node as ts.NumericLiteral).text);
      case ts.SyntaxKind.TrueKeyword:
        return true;
      case ts.SyntaxKind.FalseKeyword:
        return false;
      case ts.SyntaxKind.NullKeyword:
        return null;
      case ts.SyntaxKind.Identifier:
        return env.lookup((node as ts.Identifier).text);
      case ts.SyntaxKind.ArrayLiteralExpression:
        return (node as ts.ArrayLiteralExpression).elements.map((element) => this.data(this.evaluate(element, env), element));
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const operand = (node as ts.PrefixUnaryExpression).operand;
        return !this.condition(this.evaluate(operand, env), operand, '!');
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(node as ts.BinaryExpression, env);
      case ts.SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        const test = this.condition(this.evaluate(conditional.condition, env), conditional.condition, '?:');
        return this.evaluate(test ? conditional.whenTrue : conditional.whenFalse, env);
      }
      case ts.SyntaxKind.ArrowFunction: {
        const arrow = node as ts.ArrowFunction;
        const parameter = arrow.parameters[0]?.name as ts.Identifier;
        return new Lambda(parameter.text, arrow.body as ts.Expression, env);
      }
      case ts.SyntaxKind.NewExpression:
        return this.construct(node as ts.NewExpression, env);
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
      case ts.SyntaxKind.CallExpression: {
        const result = this.chain(node as Chainable, env);
        return result === SHORT_CIRCUIT ? null : result;
      }
      default:
        throw new Error(`internal: unchecked node ${kindName(node.kind)}`);
    }
  }

  // --- member access and calls (with optional chaining) ---------------------------------------------------

  /** Evaluates the receiver of a chain link; continues the chain (keeps SHORT_CIRCUIT) when it is part of it. */
  private receiver(link: ts.Node, receiverNode: ts.Expression, env: Env): ChainResult {
    if ((link.flags & ts.NodeFlags.OptionalChain) !== 0 && isChainable(receiverNode)) {
      if ((receiverNode.flags & ts.NodeFlags.OptionalChain) !== 0) {
        this.steps += 1;
        return this.chain(receiverNode, env);
      }
    }
    return this.evaluate(receiverNode, env);
  }

  private chain(node: Chainable, env: Env): ChainResult {
    if (ts.isCallExpression(node)) {
      const callee = node.expression as ts.PropertyAccessExpression;
      const target = this.receiver(callee, callee.expression, env);
      if (target === SHORT_CIRCUIT) return SHORT_CIRCUIT;
      if (target === null) {
        if (callee.questionDotToken) return SHORT_CIRCUIT;
        throw this.fail('NULL_MEMBER', callee, 'Type null does not have any properties');
      }
      const args = node.arguments.map((argument) => this.evaluate(argument, env));
      return this.callMethod(target, callee.name.text, args, node);
    }
    const target = this.receiver(node, node.expression, env);
    if (target === SHORT_CIRCUIT) return SHORT_CIRCUIT;
    if (target === null) {
      if (node.questionDotToken) return SHORT_CIRCUIT;
      throw this.fail('NULL_MEMBER', node, 'Type null does not have any properties');
    }
    const name = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : (node.argumentExpression as ts.StringLiteral).text;
    return this.member(target, name, node);
  }

  private member(target: Value, name: string, node: ts.Node): Value {
    if (target instanceof JiraIssue) {
      if (name === 'properties') return target.properties;
      if (/^customfield_\d+$/.test(name)) {
        this.expensive({ kind: 'customField', key: name }, node);
        return target.customFields.get(name) ?? null;
      }
      if (target.systemFields.has(name)) return target.systemFields.get(name) ?? null;
      throw this.unknownMember(target, name, node);
    }
    if (target instanceof JiraEntityProperties) {
      this.expensive({ kind: 'entityProperty', key: name }, node);
      return target.values.has(name) ? toJiraValue(target.values.get(name), false) : null;
    }
    if (target instanceof JiraUser) {
      switch (name) {
        case 'accountId':
          return target.accountId;
        case 'displayName':
          return target.displayName;
        case 'active':
          return target.active;
        case 'groups':
          this.expensive({ kind: 'userGroups', key: target.accountId }, node);
          return [...target.groups];
        default:
          throw this.unknownMember(target, name, node);
      }
    }
    if (target instanceof JiraRichText) {
      if (name === 'plainText') return target.plainText;
      throw this.unknownMember(target, name, node);
    }
    if (target instanceof JiraMap) {
      if (target.entries.has(name)) return target.entries.get(name) ?? null;
      if (target.shape.closed) throw this.unknownMember(target, name, node);
      return null;
    }
    if ((Array.isArray(target) || typeof target === 'string') && name === 'length') return target.length;
    throw this.unknownMember(target, name, node);
  }

  private callMethod(target: Value, method: string, args: Value[], node: ts.CallExpression): Value {
    const arity = (min: number, max = min): void => {
      if (args.length < min || args.length > max) {
        throw this.fail('BAD_ARGUMENT', node, `${jiraTypeName(target)}.${method} takes ${min === max ? min : `${min}-${max}`} argument(s), got ${args.length}`);
      }
    };
    if (Array.isArray(target)) {
      const list = target as readonly JiraValue[];
      switch (method) {
        case 'includes': {
          arity(1);
          const needle = this.data(args[0] ?? null, node);
          return list.some((item) => this.equals(item, needle, node));
        }
        case 'some':
        case 'every':
        case 'filter':
        case 'map': {
          arity(1);
          const fn = args[0];
          if (!(fn instanceof Lambda)) throw this.fail('BAD_ARGUMENT', node, `List.${method} needs an arrow function`);
          const results = list.map((item) => this.invoke(fn, item));
          if (method === 'map') return results.map((result) => this.data(result, node));
          const tests = results.map((result) => this.condition(result, fn.body, `List.${method} callback`));
          if (method === 'some') return tests.some(Boolean);
          if (method === 'every') return tests.every(Boolean);
          return list.filter((_, index) => tests[index]);
        }
        case 'join': {
          arity(0, 1);
          const separator = args.length === 0 ? ',' : args[0];
          if (typeof separator !== 'string') throw this.fail('BAD_ARGUMENT', node, 'List.join needs a String separator');
          return list
            .map((item) => {
              if (typeof item === 'string' || typeof item === 'number') return String(item);
              throw this.fail('TYPE', node, `List.join cannot join a ${jiraTypeName(item)}`);
            })
            .join(separator);
        }
      }
    } else if (typeof target === 'string') {
      switch (method) {
        case 'trim':
          arity(0);
          return target.trim();
        case 'toLowerCase':
          arity(0);
          return target.toLowerCase();
        case 'includes': {
          arity(1);
          const needle = args[0];
          if (typeof needle !== 'string') throw this.fail('BAD_ARGUMENT', node, 'String.includes needs a String');
          return target.includes(needle);
        }
      }
    } else if (target instanceof JiraDate) {
      if (method === 'getTime') {
        arity(0);
        return target.epochMillis;
      }
    }
    throw this.fail('UNKNOWN_METHOD', node, `${jiraTypeName(target)} has no method \`${method}\` in the subset`);
  }

  private invoke(fn: Lambda, argument: JiraValue): Value {
    return this.evaluate(fn.body, new Env(new Map([[fn.parameter, argument]]), fn.env));
  }

  private construct(node: ts.NewExpression, env: Env): Value {
    const name = (node.expression as ts.Identifier).text;
    const args = (node.arguments ?? []).map((argument) => this.evaluate(argument, env));
    if (name === 'Date') {
      if (args.length === 0) {
        if (!this.now) throw this.fail('MISSING_NOW', node, '`new Date()` needs `__now` in the context');
        return this.now;
      }
      const [argument] = args;
      if (typeof argument === 'string') {
        const millis = parseJiraTimestamp(argument);
        if (millis === null) throw this.fail('BAD_ARGUMENT', node, `Invalid date: ${JSON.stringify(argument)}`);
        return new JiraDate(millis);
      }
      if (typeof argument === 'number') return new JiraDate(argument);
      throw this.fail('BAD_ARGUMENT', node, `new Date(…) needs a String or Number, got ${jiraTypeName(argument)}`);
    }
    const [adf] = args;
    if (!(adf instanceof JiraMap) || adf.entries.get('type') !== 'doc') {
      throw this.fail('BAD_ARGUMENT', node, `new RichText(…) needs an ADF document Map, got ${jiraTypeName(adf)}`);
    }
    return new JiraRichText(adfPlainText(adf));
  }

  // --- operators -------------------------------------------------------------------------------------------

  private binary(node: ts.BinaryExpression, env: Env): Value {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      const symbol = operator === ts.SyntaxKind.AmpersandAmpersandToken ? '&&' : '||';
      const left = this.evaluate(node.left, env);
      const leftTest = this.condition(left, node.left, symbol);
      if (symbol === '&&' ? !leftTest : leftTest) return left;
      const right = this.evaluate(node.right, env);
      if (this.options.booleans === 'strict') this.condition(right, node.right, symbol);
      return right;
    }
    const left = this.data(this.evaluate(node.left, env), node.left);
    const right = this.data(this.evaluate(node.right, env), node.right);
    switch (operator) {
      case ts.SyntaxKind.EqualsEqualsToken:
        return this.equals(left, right, node);
      case ts.SyntaxKind.ExclamationEqualsToken:
        return !this.equals(left, right, node);
      case ts.SyntaxKind.PlusToken: {
        const isText = (v: JiraValue): v is string | number => typeof v === 'string' || typeof v === 'number';
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        if ((typeof left === 'string' || typeof right === 'string') && isText(left) && isText(right)) {
          return String(left) + String(right);
        }
        throw this.fail('TYPE', node, `Cannot add ${jiraTypeName(left)} and ${jiraTypeName(right)}`);
      }
      default: {
        const order = this.compare(left, right, node);
        switch (operator) {
          case ts.SyntaxKind.LessThanToken:
            return order < 0;
          case ts.SyntaxKind.LessThanEqualsToken:
            return order <= 0;
          case ts.SyntaxKind.GreaterThanToken:
            return order > 0;
          default:
            return order >= 0;
        }
      }
    }
  }

  /** `==`: null equals only null; same-type primitives by value; Dates by instant; anything else fails. */
  private equals(left: JiraValue, right: JiraValue, node: ts.Node): boolean {
    if (left === null || right === null) return left === right;
    if (typeof left !== 'object' && typeof left === typeof right) return left === right;
    if (left instanceof JiraDate && right instanceof JiraDate) return left.epochMillis === right.epochMillis;
    throw this.fail('TYPE', node, `Can't compare ${jiraTypeName(left)} to ${jiraTypeName(right)}`);
  }

  private compare(left: JiraValue, right: JiraValue, node: ts.Node): number {
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    if (left instanceof JiraDate && right instanceof JiraDate) return left.epochMillis - right.epochMillis;
    throw this.fail('TYPE', node, `Can't compare ${jiraTypeName(left)} to ${jiraTypeName(right)}`);
  }

  /** A value used as a condition. */
  private condition(value: Value, node: ts.Node, where: string): boolean {
    if (typeof value === 'boolean') return value;
    if (this.options.booleans === 'strict') {
      throw this.fail('TYPE', node, `${where} needs a Boolean in the strict subset, got ${jiraTypeName(value)}`);
    }
    if (value === null || value === 0 || value === '') return false;
    return !(typeof value === 'number' && Number.isNaN(value));
  }

  /** Functions are not data: they may only be passed to list methods. */
  private data(value: Value, node: ts.Node): JiraValue {
    if (value instanceof Lambda) throw this.fail('TYPE', node, 'A function cannot be used as a value here');
    return value;
  }

  private expensive(read: ExpensiveRead, node: ts.Node): void {
    this.reads.push(read);
    if (this.reads.length > this.options.maxExpensiveOps) {
      throw this.fail('LIMIT', node, `The expression exceeded the limit of ${this.options.maxExpensiveOps} expensive operations`);
    }
  }

  private unknownMember(target: Value, name: string, node: ts.Node): JiraEvaluationError {
    return this.fail('UNKNOWN_MEMBER', node, `Unrecognized property of ${jiraTypeName(target)}: "${name}"`);
  }

  private fail(code: JiraEvaluationErrorCode, node: ts.Node, reason: string): JiraEvaluationError {
    return new JiraEvaluationError(code, reason, positionOf(this.sf, node.getStart(this.sf)));
  }
}

function isChainable(node: ts.Node): node is Chainable {
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node);
}
