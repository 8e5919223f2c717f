// The deployment gate section's logic (issue 19): the resolvers' answers, the name check, and the
// curl example, which is run with a real shell and openssl and checked against gate-signature.ts.
import { execFileSync } from 'node:child_process';
import { ADMIN_ERROR_CODES } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { GATE_HEADERS, GateRequestSchema, NonceSchema, parsePipelineToken, signedGateHeaders, signGateCall } from '../../../src/deployments/gate-signature';
import type { AdminKey } from '../../../static/admin-page/src/admin-model';
import {
  PIPELINE_NAME_PATH,
  TOKEN_VARIABLE,
  confirmText,
  createPipelinesApi,
  curlExample,
  pipelineFieldErrors,
  shellQuote,
  tokenPreview,
  validatePipelineName,
} from '../../../static/admin-page/src/pipelines-model';
import { fail, GATE_URL, ok, PIPELINE_IDS, pipelinesState, pipelineTokenOf, pipelineView, secretResult } from './fixtures';

const KEYS = RESOLVER_KEYS.admin;

describe('the pipeline resolvers', () => {
  const fakeInvoke = (answer: unknown) => jest.fn<Promise<unknown>, [AdminKey, Record<string, unknown>?]>(async () => answer);

  it('calls each key with its payload and reads the answer with the contract', async () => {
    const state = pipelinesState();
    const list = fakeInvoke(ok(state));
    expect(await createPipelinesApi(list).listPipelines()).toEqual({ ok: true, data: state });
    expect(list.mock.calls).toEqual([[KEYS.listPipelines, {}]]);

    const issued = secretResult(pipelineView(), pipelineTokenOf(PIPELINE_IDS.payments, 'c0'), state);
    const create = fakeInvoke(ok(issued));
    expect(await createPipelinesApi(create).createPipeline({ name: 'payments-api deploy' })).toEqual({ ok: true, data: issued });
    expect(create.mock.calls).toEqual([[KEYS.createPipeline, { name: 'payments-api deploy' }]]);

    const rotate = fakeInvoke(ok(issued));
    await createPipelinesApi(rotate).rotatePipelineSecret({ pipelineId: PIPELINE_IDS.payments });
    expect(rotate.mock.calls).toEqual([[KEYS.rotatePipelineSecret, { pipelineId: PIPELINE_IDS.payments }]]);

    const revoke = fakeInvoke(ok(state));
    expect(await createPipelinesApi(revoke).revokePipeline({ pipelineId: PIPELINE_IDS.web })).toEqual({ ok: true, data: state });
    expect(revoke.mock.calls).toEqual([[KEYS.revokePipeline, { pipelineId: PIPELINE_IDS.web }]]);
  });

  it('refuses an answer off the contract, passes on an error, and turns a rejected invoke into UNREACHABLE', async () => {
    const offContract = await createPipelinesApi(fakeInvoke(ok({ pipelines: [{ id: 'x' }], gateUrl: null }))).listPipelines();
    expect(offContract.ok ? null : offContract.error.code).toBe('BAD_RESPONSE');
    // A create answer without its token is refused: the page must never show a half-made pipeline.
    const noToken = await createPipelinesApi(fakeInvoke(ok({ pipeline: pipelineView(), state: pipelinesState() }))).createPipeline({ name: 'x' });
    expect(noToken.ok ? null : noToken.error.code).toBe('BAD_RESPONSE');
    const refused = await createPipelinesApi(fakeInvoke(fail(ADMIN_ERROR_CODES.forbidden, 'Only Jira admins.'))).revokePipeline({ pipelineId: PIPELINE_IDS.web });
    expect(refused).toEqual({ ok: false, error: { code: ADMIN_ERROR_CODES.forbidden, message: 'Only Jira admins.' } });
    const rejected = jest.fn(async () => {
      throw new Error('network');
    });
    const unreachable = await createPipelinesApi(rejected).listPipelines();
    expect(unreachable.ok ? null : unreachable.error.code).toBe('UNREACHABLE');
  });
});

describe('the pipeline name', () => {
  it.each([
    ['', 'Name the pipeline'],
    ['   ', 'Name the pipeline'],
    ['x'.repeat(81), 'At most 80 characters'],
  ])('refuses %j with the contract’s message', (name, message) => {
    expect(validatePipelineName(name)).toEqual({ ok: false, errors: [{ path: PIPELINE_NAME_PATH, message }] });
  });

  it('sends the name trimmed', () => {
    expect(validatePipelineName('  web deploy ')).toEqual({ ok: true, payload: { name: 'web deploy' } });
    expect(validatePipelineName('x'.repeat(80)).ok).toBe(true);
  });

  it("puts the server's field errors for the name on the name control, the rest in words", () => {
    const error = { code: ADMIN_ERROR_CODES.invalidPayload, message: 'Refused.', fieldErrors: [{ path: 'name', message: 'A pipeline has this name already' }, { path: 'other', message: 'odd' }] };
    expect(pipelineFieldErrors(error)).toEqual({ placed: [{ path: PIPELINE_NAME_PATH, message: 'A pipeline has this name already' }], other: ['other: odd'] });
    expect(pipelineFieldErrors({ ...error, code: ADMIN_ERROR_CODES.internal })).toEqual({ placed: [], other: [] });
  });
});

describe('the words', () => {
  it('previews a token by its id and hint, never more', () => {
    expect(tokenPreview(pipelineView())).toBe(`cc81p_${PIPELINE_IDS.payments}_a1b2…`);
    // The resolver may send the hint with its own ellipsis: one is shown, not two.
    expect(tokenPreview(pipelineView({ secretHint: 'a1b2…' }))).toBe(`cc81p_${PIPELINE_IDS.payments}_a1b2…`);
  });

  it('warns before a rotate that the old secret stops at once, and before a revoke that it cannot be undone', () => {
    expect(confirmText('rotate', { name: 'web' }).question).toMatch(/old secret stops working at once/);
    expect(confirmText('revoke', { name: 'web' }).question).toMatch(/cannot be undone/);
  });
});

// ---- the curl example, run

const hasCommand = (command: string, args: string[]): boolean => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Runs the example with `curl` replaced by a shell function that prints its arguments, one a line. */
const runExample = (shell: string, script: string, env: Record<string, string>): string[] => {
  const fakeCurl = `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n`;
  const out = execFileSync(shell, ['-c', fakeCurl + script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return out.replace(/\n$/, '').split('\n');
};

/** The curl arguments as a request: URL, headers (names lower-cased) and body. */
const requestOf = (args: string[]) => {
  const headers: Record<string, string> = {};
  let body: string | null = null;
  let url: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-H') {
      const header = args[++i]!;
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg === '--data-raw') body = args[++i]!;
    else if (arg === '-X') expect(args[++i]).toBe('POST');
    else if (!arg.startsWith('-')) url = arg;
  }
  return { url, headers, body };
};

describe('the curl example (checked against src/deployments/gate-signature.ts)', () => {
  const token = pipelineTokenOf(PIPELINE_IDS.payments, '5e');
  const env = { [TOKEN_VARIABLE]: token, CHANGE_KEY: 'CHG-42', DEPLOY_ENV: 'production', GIT_SHA: '9fceb02d0ae598e95dc970b74767f19372d61af8', DEPLOYER: 'ci-bot' };

  it('needs openssl and bash on this machine to be checked', () => {
    // Fails, rather than skips, where they are missing: the example's signature is then unchecked.
    expect({ openssl: hasCommand('openssl', ['version']), jq: hasCommand('jq', ['--version']), bash: hasCommand('bash', ['-c', 'true']) }).toEqual({ openssl: true, jq: true, bash: true });
  });

  it.each(['bash', 'dash'])('signs with %s and openssl exactly as signGateCall and signedGateHeaders do', (shell) => {
    if (shell === 'dash' && !hasCommand('dash', ['-c', 'true'])) {
      expect(shell).toBe('dash'); // dash is optional: bash above is the required check.
      return;
    }
    const request = requestOf(runExample(shell, curlExample(GATE_URL), env));
    expect(request.url).toBe(GATE_URL);
    const { timestamp, nonce, signature } = { timestamp: request.headers[GATE_HEADERS.timestamp]!, nonce: request.headers[GATE_HEADERS.nonce]!, signature: request.headers[GATE_HEADERS.signature]! };
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(NonceSchema.safeParse(nonce).success).toBe(true);
    const secret = parsePipelineToken(token)!.secret;
    expect(signature).toBe(signGateCall(secret, timestamp, nonce, request.body!));
    // Every header the reference client sends, with the same values, and nothing else.
    expect(request.headers).toEqual(signedGateHeaders(token, request.body!, new Date(Number(timestamp) * 1000), nonce));
    expect(GateRequestSchema.parse(JSON.parse(request.body!))).toEqual({ changeKey: 'CHG-42', environment: 'production', sha: env.GIT_SHA, deployer: 'ci-bot' });
  });

  it('a different secret gives a different signature (the check above can fail)', () => {
    const request = requestOf(runExample('bash', curlExample(GATE_URL), env));
    const other = parsePipelineToken(pipelineTokenOf(PIPELINE_IDS.payments, '6f'))!.secret;
    expect(request.headers[GATE_HEADERS.signature]).not.toBe(signGateCall(other, request.headers[GATE_HEADERS.timestamp]!, request.headers[GATE_HEADERS.nonce]!, request.body!));
  });

  it("quotes the gate URL for the shell, and reads $CC81_GATE_URL when the page has none", () => {
    const odd = "https://example.test/gate?a=1&b='x' $HOME";
    expect(requestOf(runExample('bash', curlExample(odd), env)).url).toBe(odd);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(requestOf(runExample('bash', curlExample(null), { ...env, CC81_GATE_URL: 'https://gate.test/x' })).url).toBe('https://gate.test/x');
  });

  it('names the headers as gate-signature.ts does, and never holds a token itself', () => {
    const example = curlExample(GATE_URL);
    for (const name of Object.values(GATE_HEADERS)) expect(example.toLowerCase()).toContain(`-h "${name}: `);
    expect(example).not.toMatch(/cc81p_[0-9a-f]{16}_[0-9a-f]/);
    expect(example).toContain(`sig=$(printf '%s.%s.%s' "$ts" "$nonce" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')`);
  });
});
