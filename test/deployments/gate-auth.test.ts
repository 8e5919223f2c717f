import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { authenticateGateCall, GATE_LIMITS, type GateHttpRequest } from '../../src/deployments/gate-auth';
import { signedGateHeaders } from '../../src/deployments/gate-signature';
import { createPipeline, listPipelines, revokePipeline, rotatePipelineSecret } from '../../src/deployments/pipelines';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const BODY = JSON.stringify({ changeKey: 'CHG-7', environment: 'prod', sha: 'abcdef1', deployer: 'ci' });
let n = 0;
const nonce = () => `nonce-${String((n += 1)).padStart(12, '0')}`;

const request = (token: string, at: Date, body = BODY, override: Record<string, string | undefined> = {}): GateHttpRequest => {
  const headers = { ...signedGateHeaders(token, body, at, nonce()), ...override };
  return { method: 'POST', body, headers: Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toUpperCase(), [v]]]))) };
};

const setup = async () => {
  const store = createMemoryKvs();
  const { record, token } = await createPipeline(store, { name: 'api', by: { accountId: 'acc-admin', displayName: 'Ann Admin' }, now: T0 });
  return { store, record, token };
};

describe('authenticateGateCall', () => {
  it('accepts a signed, fresh call from a live pipeline (header names in any case) and notes when it was used', async () => {
    const { store, token, record } = await setup();
    const outcome = await authenticateGateCall(store, request(token, T0), T0);
    expect(outcome).toEqual({ ok: true, pipeline: expect.objectContaining({ id: record.id }) });
    expect((await listPipelines(store)).pipelines[0]!.lastUsedAt).toBe(T0.toISOString());
  });

  it('keeps only a hash of the secret', async () => {
    const { store, token } = await setup();
    const secret = token.split('_')[2]!;
    const stored = JSON.stringify(await store.listByPrefix('cc81:'));
    expect(stored).not.toContain(secret);
    expect(stored).toContain(secret.slice(0, 4)); // the hint, and nothing more
  });

  it('refuses the old secret once rotated, and the new one works; a revoked pipeline is refused', async () => {
    const { store, token, record } = await setup();
    const rotated = await rotatePipelineSecret(store, record.id, T0);
    expect((await authenticateGateCall(store, request(token, T0), T0)).ok).toBe(false);
    expect((await authenticateGateCall(store, request(rotated.token, T0), T0)).ok).toBe(true);
    await revokePipeline(store, record.id, T0);
    expect(await authenticateGateCall(store, request(rotated.token, T0), T0)).toMatchObject({ ok: false, status: 401, code: 'UNAUTHENTICATED' });
    expect((await listPipelines(store)).pipelines).toEqual([]);
  });

  it.each([
    ['at the edge of the allowed skew', 300_000, true],
    ['just past it', 301_000, false],
    ['from the future, just past it', -301_000, false],
  ])('a call signed %s', async (_name, ageMs, ok) => {
    const { store, token } = await setup();
    const outcome = await authenticateGateCall(store, request(token, new Date(T0.getTime() - ageMs)), T0);
    expect(outcome.ok).toBe(ok);
    if (!outcome.ok) expect(outcome.code).toBe('STALE_TIMESTAMP');
  });

  it('refuses the same nonce twice, even in the next minute', async () => {
    const { store, token } = await setup();
    const call = request(token, T0);
    expect((await authenticateGateCall(store, call, T0)).ok).toBe(true);
    expect(await authenticateGateCall(store, call, new Date(T0.getTime() + 60_000))).toMatchObject({ ok: false, code: 'REPLAYED' });
  });

  it('prunes nonces from buckets older than the last, keeping those a replay could still use', async () => {
    const { store, token } = await setup();
    for (const minutes of [0, 11, 22, 33]) {
      const at = new Date(T0.getTime() + minutes * 60_000);
      expect((await authenticateGateCall(store, request(token, at), at)).ok).toBe(true);
    }
    const nonces = (await store.listByPrefix('cc81:gate-nonce:')).map((e) => e.key).filter((k) => !k.endsWith(':~'));
    expect(nonces).toHaveLength(2);
  });

  it(`limits a pipeline to ${GATE_LIMITS.perPipelinePerMinute} calls a minute, with Retry-After`, async () => {
    const { store, token } = await setup();
    for (let i = 0; i < GATE_LIMITS.perPipelinePerMinute; i += 1) expect((await authenticateGateCall(store, request(token, T0), T0)).ok).toBe(true);
    expect(await authenticateGateCall(store, request(token, T0), T0)).toMatchObject({ ok: false, status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    const nextMinute = new Date(T0.getTime() + 60_000);
    expect((await authenticateGateCall(store, request(token, nextMinute), nextMinute)).ok).toBe(true);
  });

  it(`stops looking after ${GATE_LIMITS.failedPerMinute} refused attempts a minute, even for a good token`, async () => {
    const { store, token } = await setup();
    for (let i = 0; i < GATE_LIMITS.failedPerMinute; i += 1) {
      expect(await authenticateGateCall(store, request(token, T0, BODY, { 'x-cc81-signature': `sha256=${'0'.repeat(64)}` }), T0)).toMatchObject({ status: 401, code: 'BAD_SIGNATURE' });
    }
    expect(await authenticateGateCall(store, request(token, T0), T0)).toMatchObject({ ok: false, status: 429, code: 'TOO_MANY_FAILED_CALLS' });
  });

  it('says how long to wait, to the second, and drops a pipeline\'s counter two minutes on', async () => {
    const { store, token, record } = await setup();
    const at = (ms: number) => new Date(T0.getTime() + ms);
    for (let i = 0; i < GATE_LIMITS.perPipelinePerMinute; i += 1) expect((await authenticateGateCall(store, request(token, at(15_000)), at(15_000))).ok).toBe(true);
    expect(await authenticateGateCall(store, request(token, at(15_000)), at(15_000))).toMatchObject({ status: 429, retryAfterSeconds: 45 });
    const minute = Math.floor(T0.getTime() / 60_000);
    expect(await store.get(`cc81:gate-rate:${record.id}:${minute}`)).toBe(GATE_LIMITS.perPipelinePerMinute);
    expect((await authenticateGateCall(store, request(token, at(60_000)), at(60_000))).ok).toBe(true);
    expect(await store.get(`cc81:gate-rate:${record.id}:${minute}`)).toBe(GATE_LIMITS.perPipelinePerMinute); // the minute before: kept
    expect((await authenticateGateCall(store, request(token, at(120_000)), at(120_000))).ok).toBe(true);
    expect(await store.get(`cc81:gate-rate:${record.id}:${minute}`)).toBeUndefined();
    expect(await store.get(`cc81:gate-rate:${record.id}:${minute + 2}`)).toBe(1);
  });

  it('lists the nonce store once per 10-minute bucket, not on every call', async () => {
    const { store, token } = await setup();
    let listed = 0;
    const counting = { ...store, listPage: (...args: Parameters<typeof store.listPage>) => ((listed += 1), store.listPage(...args)) };
    for (let i = 0; i < 3; i += 1) expect((await authenticateGateCall(counting, request(token, T0), T0)).ok).toBe(true);
    expect(listed).toBe(1);
  });

  it('takes a body of exactly the limit', async () => {
    const { store, token } = await setup();
    const body = `${BODY}${' '.repeat(GATE_LIMITS.maxBodyBytes - BODY.length)}`;
    expect((await authenticateGateCall(store, request(token, T0, body), T0)).ok).toBe(true);
  });

  it.each([
    ['two spaces after Bearer', (t: string) => `Bearer  ${t}`, true],
    ['lower-case bearer', (t: string) => `bearer ${t}`, true],
    ['text before Bearer', (t: string) => `xBearer ${t}`, false],
    ['text after the token', (t: string) => `Bearer ${t} extra`, false],
  ])('Authorization with %s', async (_name, header, ok) => {
    const { store, token } = await setup();
    const outcome = await authenticateGateCall(store, request(token, T0, BODY, { authorization: header(token) }), T0);
    expect(outcome.ok ? 'ok' : outcome.code).toBe(ok ? 'ok' : 'UNAUTHENTICATED');
  });

  it.each(['12345abc', 'abc12345', '1234567890123'])('refuses the timestamp %s as unsigned', async (timestamp) => {
    const { store, token } = await setup();
    expect(await authenticateGateCall(store, request(token, T0, BODY, { 'x-cc81-timestamp': timestamp }), T0)).toMatchObject({ ok: false, code: 'UNSIGNED' });
  });

  it.each([
    ['a GET', { method: 'GET' }, 405, 'METHOD_NOT_ALLOWED'],
    ['a body over the limit', { body: 'x'.repeat(GATE_LIMITS.maxBodyBytes + 1) }, 413, 'BODY_TOO_LARGE'],
    ['a token that is not one', { headers: { authorization: ['Bearer hunter2'] } }, 401, 'UNAUTHENTICATED'],
    ['a malformed nonce', { nonce: 'short' }, 401, 'UNSIGNED'],
  ])('refuses %s', async (_name, change, status, code) => {
    const { store, token } = await setup();
    const base = request(token, T0);
    const call: GateHttpRequest =
      'nonce' in change
        ? { ...base, headers: { ...base.headers, 'X-CC81-NONCE': [change.nonce] } }
        : { ...base, ...change, headers: { ...base.headers, ...('headers' in change ? { AUTHORIZATION: change.headers.authorization } : {}) } };
    expect(await authenticateGateCall(store, call, T0)).toMatchObject({ ok: false, status, code });
  });
});

describe('what a refused pipeline is told', () => {
  it.each([
    ['METHOD_NOT_ALLOWED', (r: GateHttpRequest) => ({ ...r, method: 'PUT' }), /^The deployment gate takes POST requests only\.$/],
    ['BODY_TOO_LARGE', (r: GateHttpRequest) => ({ ...r, body: 'x'.repeat(GATE_LIMITS.maxBodyBytes + 1) }), /^The request body is over 32768 bytes; send only the fields the gate takes\.$/],
    ['no token', (r: GateHttpRequest) => ({ ...r, headers: { ...r.headers, AUTHORIZATION: [] } }), /^Send the pipeline's token as 'Authorization: Bearer cc81p_…' \(Jira admin: CC8\.1 admin page → Deployment gate\)\.$/],
    ['an unknown token', (r: GateHttpRequest) => ({ ...r, headers: { ...r.headers, AUTHORIZATION: [`Bearer cc81p_${'0'.repeat(16)}_${'1'.repeat(64)}`] } }), /^This token is unknown, revoked or was rotated: ask a Jira admin for the pipeline's current token\.$/],
    ['no signature', (r: GateHttpRequest) => ({ ...r, headers: { ...r.headers, 'X-CC81-SIGNATURE': [] } }), /^Sign the call: send x-cc81-timestamp, x-cc81-nonce and x-cc81-signature \(see the README's examples\)\.$/],
    ['a bad nonce', (r: GateHttpRequest) => ({ ...r, headers: { ...r.headers, 'X-CC81-NONCE': ['bad'] } }), /^x-cc81-timestamp is Unix seconds and x-cc81-nonce is 16 to 64 letters, digits, '-' or '_'\.$/],
    ['a bad signature', (r: GateHttpRequest) => ({ ...r, headers: { ...r.headers, 'X-CC81-SIGNATURE': [`sha256=${'0'.repeat(64)}`] } }), /^The signature does not match this body: sign `<timestamp>\.<nonce>\.<body>` with HMAC-SHA256 and the token's secret\.$/],
  ])('%s', async (_name, change, message) => {
    const { store, token } = await setup();
    const outcome = await authenticateGateCall(store, change(request(token, T0)), T0);
    expect(outcome.ok ? '' : outcome.message).toMatch(message);
  });

  it('a stale call, a replay and too many calls', async () => {
    const { store, token } = await setup();
    const stale = await authenticateGateCall(store, request(token, new Date(T0.getTime() - 400_000)), T0);
    expect(stale.ok ? '' : stale.message).toBe("The call is 400 s away from the gate's clock (at most 300): check the runner's clock, and never resend an old call.");
    const call = request(token, T0);
    await authenticateGateCall(store, call, T0);
    const replay = await authenticateGateCall(store, call, T0);
    expect(replay.ok ? '' : replay.message).toBe('This call was already made (its nonce was seen): send a new nonce with every call.');
    for (let i = 1; i < GATE_LIMITS.perPipelinePerMinute; i += 1) await authenticateGateCall(store, request(token, T0), T0);
    const limited = await authenticateGateCall(store, request(token, T0), T0);
    expect(limited.ok ? '' : limited.message).toBe(`This pipeline made ${GATE_LIMITS.perPipelinePerMinute} gate calls this minute: wait and try again.`);
    for (let i = 0; i < GATE_LIMITS.failedPerMinute; i += 1) await authenticateGateCall(store, request('cc81p_' + '0'.repeat(16) + '_' + '1'.repeat(64), T0), T0);
    const locked = await authenticateGateCall(store, request(token, T0), T0);
    expect(locked.ok ? '' : locked.message).toBe('Too many refused calls to the gate this minute: wait and try again with a valid token.');
  });
});
