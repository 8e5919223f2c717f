/**
 * `cc81 gate`: the call a pipeline makes to the deployment gate before it deploys, for scripts. The
 * body is checked with the gate's own schema, signed as gate-signature.ts says (a fresh random nonce
 * each call) and POSTed; the decision and its reasons go to stdout. Exit 0 on allow, EXIT.denied on
 * deny, EXIT.gate when there is no decision. The token is never printed, not even in an error.
 */
import { randomBytes } from 'node:crypto';
import { GateAnswer, GateAnswerSchema, GateErrorSchema, GateRequestSchema, parsePipelineToken, signedGateHeaders } from '../src/deployments/gate-signature';
import { EXIT, GateCallError, UsageError } from './cli-errors';
import type { CliIo } from './run-cli';
import { textTable } from './text-table';
import { formatOf, required, str, type Values } from './values';

const TIMEOUT_MS = 30_000;

/** The webtrigger URL: http(s), no credentials in it. */
const gateUrl = (text: string): URL => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url must be the gate's URL (the web trigger URL on the CC8.1 admin page), got '${text}'.`, 'gate');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--url must be an http(s) URL.', 'gate');
  if (url.username || url.password) throw new UsageError('--url must not hold credentials; pass the token with CC81_GATE_TOKEN.', 'gate');
  return url;
};

/** The request body from the options, as the gate will read it. */
export const gateBody = (values: Values): string => {
  const optional = (name: string) => str(values, name);
  const body = {
    changeKey: optional('change'),
    branch: optional('branch'),
    prTitle: optional('pr-title'),
    commitMessage: optional('message'),
    environment: required(values, 'environment', 'gate'),
    sha: required(values, 'sha', 'gate'),
    deployer: required(values, 'deployer', 'gate'),
    deployerAccountId: optional('deployer-account-id'),
  };
  const parsed = GateRequestSchema.safeParse(body);
  if (!parsed.success) {
    const option: Record<string, string> = { changeKey: 'change', prTitle: 'pr-title', commitMessage: 'message', deployerAccountId: 'deployer-account-id' };
    const problems = parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      return `--${option[field] ?? field}: ${i.message}`;
    });
    throw new UsageError(problems.join('; '), 'gate');
  }
  return JSON.stringify(parsed.data);
};

const renderAnswer = (answer: GateAnswer): string => {
  const lines = [`Gate: ${answer.decision.toUpperCase()} (call ${answer.callId})`];
  if (answer.changes.length) {
    lines.push(textTable(['CHANGE', 'DECISION', 'PATH'], answer.changes.map((c) => [c.key, c.decision, c.path])).trimEnd());
  }
  const reasons = [
    ...answer.reasons.map((r) => ['-', 'reason', r.code, r.message]),
    ...answer.changes.flatMap((c) => [...c.reasons.map((r) => [c.key, 'reason', r.code, r.message]), ...c.notices.map((r) => [c.key, 'notice', r.code, r.message])]),
  ];
  if (reasons.length) lines.push('', textTable(['CHANGE', 'KIND', 'CODE', 'MESSAGE'], reasons).trimEnd());
  return `${lines.join('\n')}\n`;
};

const bodyOf = async (response: Response): Promise<unknown> => {
  try {
    return JSON.parse(await response.text()) as unknown;
  } catch {
    return null;
  }
};

export const runGateCommand = async (values: Values, io: CliIo): Promise<number> => {
  const format = formatOf(values, 'gate');
  const urlText = str(values, 'url')?.trim() || io.env.CC81_GATE_URL?.trim();
  if (!urlText) throw new UsageError('--url is required (or set CC81_GATE_URL).', 'gate');
  const url = gateUrl(urlText);
  const token = str(values, 'token')?.trim() || io.env.CC81_GATE_TOKEN?.trim();
  if (!token) throw new UsageError('Give the pipeline token: set CC81_GATE_TOKEN (or --token, which other users of the machine may see).', 'gate');
  if (!parsePipelineToken(token)) throw new UsageError('The pipeline token is not a CC8.1 pipeline token (cc81p_<id>_<secret>, from the CC8.1 admin page).', 'gate');
  const body = gateBody(values);
  const headers = signedGateHeaders(token, body, io.now(), randomBytes(16).toString('hex'));

  let response: Response;
  try {
    response = await (io.fetch ?? fetch)(url.toString(), { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (cause) {
    throw new GateCallError(`Could not reach the gate at ${url.origin}`, { cause });
  }
  const json = await bodyOf(response);
  if (response.status === 200 || response.status === 403) {
    const answer = GateAnswerSchema.safeParse(json);
    const expected = response.status === 200 ? 'allow' : 'deny';
    if (answer.success && answer.data.decision === expected) {
      io.stdout(format === 'json' ? `${JSON.stringify(answer.data, null, 2)}\n` : renderAnswer(answer.data));
      return expected === 'allow' ? EXIT.ok : EXIT.denied;
    }
  }
  const error = GateErrorSchema.safeParse(json);
  const retryAfter = response.headers.get('retry-after');
  const wait = response.status === 429 && retryAfter ? ` Retry after ${retryAfter} s.` : '';
  if (error.success) throw new GateCallError(`The gate refused the call (${response.status} ${error.data.error.code}): ${error.data.error.message}${wait}`);
  throw new GateCallError(`The gate answered ${response.status} with no decision (not a CC8.1 gate answer); check --url.${wait}`);
};
