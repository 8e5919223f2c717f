import { generateKeyPairSync } from 'node:crypto';
import { checkSeal, EvidenceKeyError, exportPublicKey, importPublicKey, keyIdOf, loadSigningKey, readPublicKey, SEAL_MAX_BYTES, sealedEvidence, sealMirror, SIGNING_KEY_KEY } from '../../src/evidence-log/mirror-seal';
import type { EvidenceProperty } from '../../src/jira/evidence-property';
import { at } from '../builders/clock';
import { MemoryStore } from '../fakes/fake-jira';

const ISSUE = '10042';
const NOW = at(30);
const rec = (executionId: string, accountId: string, hour: number) => ({ edge: 'approve' as const, from: 'Assessment' as const, to: 'Approved' as const, accountId, at: at(hour).toISOString(), executionId });
const MIRROR: EvidenceProperty = { version: 1, records: [rec('e1', 'acc-approver', 1), rec('e2', 'acc-approver', 2)] };

const keyFor = async () => loadSigningKey(new MemoryStore(), NOW);

describe('checkSeal', () => {
  it('accepts the mirror the app sealed, with its records and what it omitted', async () => {
    const key = await keyFor();
    expect(checkSeal(sealMirror(MIRROR, ISSUE, 3, key), ISSUE, key.publicKey)).toEqual({ sealed: true, evidence: MIRROR, omitted: 3 });
    expect(checkSeal(undefined, ISSUE, key.publicKey)).toEqual({ sealed: true, evidence: { version: 1, records: [] }, omitted: 0 });
  });

  type Sealed = ReturnType<typeof sealMirror>;
  it.each<[string, (m: Sealed) => unknown, RegExp]>([
    ['an actor rewritten', (m) => ({ ...m, records: [m.records[0], { ...m.records[1]!, accountId: 'acc-cab-member' }] }), /do not match the app's seal/],
    ['a time moved', (m) => ({ ...m, records: [m.records[0], { ...m.records[1]!, at: at(3).toISOString() }] }), /do not match/],
    ['a record removed', (m) => ({ ...m, records: [m.records[0]] }), /do not match/],
    ['a record added', (m) => ({ ...m, records: [...m.records, rec('forged', 'acc-cab-member', 4)] }), /do not match/],
    ['the records reordered', (m) => ({ ...m, records: [m.records[1], m.records[0]] }), /do not match/],
    ['the omitted count changed', (m) => ({ ...m, seal: { ...m.seal, omitted: 0 } }), /do not match/],
    ['copied from another issue', (m) => ({ ...m, seal: { ...m.seal, issueId: '10043' } }), /sealed for issue 10043/],
    ['the seal removed', (m) => ({ version: m.version, records: m.records }), /carries no seal/],
    ['not evidence at all', () => ({ mine: true }), /not the app's record format/],
    ['a signature that is not base64', (m) => ({ ...m, seal: { ...m.seal, sig: '!!' } }), /not the app's record format/],
  ])('refuses a mirror with %s', async (_name, tamper, problem) => {
    const key = await keyFor();
    const check = checkSeal(tamper(sealMirror(MIRROR, ISSUE, 3, key)), ISSUE, key.publicKey);
    expect(check).toEqual({ sealed: false, problem: expect.stringMatching(problem) });
  });

  it('refuses a mirror sealed with another key, naming both keys', async () => {
    const [ours, theirs] = [await keyFor(), await keyFor()];
    const check = checkSeal(sealMirror(MIRROR, ISSUE, 0, theirs), ISSUE, ours.publicKey);
    expect(check).toEqual({ sealed: false, problem: expect.stringContaining(`sealed with key ${theirs.keyId}, not with the evidence key given (${ours.keyId})`) });
  });

  it('counts a mirror that fails as no evidence at all, and reports why', async () => {
    const key = await keyFor();
    const forged = { version: 1, records: [rec('forged', 'acc-cab-member', 4)] };
    expect(sealedEvidence(forged, ISSUE, key.publicKey)).toEqual({ evidence: { version: 1, records: [] }, integrity: { differences: [expect.stringContaining('carries no seal')] } });
  });

  it(`keeps the seal within ${SEAL_MAX_BYTES} bytes, whatever the issue id and omitted count`, async () => {
    const key = await keyFor();
    const sealed = sealMirror(MIRROR, '9'.repeat(18), 999_999, key);
    expect(Buffer.byteLength(`,"seal":${JSON.stringify(sealed.seal)}`)).toBeLessThanOrEqual(SEAL_MAX_BYTES);
  });
});

describe('the signing key', () => {
  it('is created once in app storage, and two first uses at once share it', async () => {
    const store = new MemoryStore();
    const [a, b] = await Promise.all([loadSigningKey(store, NOW), loadSigningKey(store, NOW)]);
    expect(a.keyId).toBe(b.keyId);
    expect((await loadSigningKey(store, at(40))).keyId).toBe(a.keyId);
    expect(await readPublicKey(store)).toEqual({ publicKey: exportPublicKey(a.publicKey), keyId: a.keyId, createdAt: NOW.toISOString() });
  });

  it('is never replaced when the stored value is unreadable: that is an error', async () => {
    const store = new MemoryStore();
    store.values.set(SIGNING_KEY_KEY, 'garbage');
    await expect(loadSigningKey(store, NOW)).rejects.toBeInstanceOf(EvidenceKeyError);
    expect(store.values.get(SIGNING_KEY_KEY)).toBe('garbage');
    expect(await readPublicKey(store)).toBeNull();
  });

  it('reads the public key as the admin page shows it (base64) or as PEM, and refuses anything else', async () => {
    const key = await keyFor();
    expect(keyIdOf(importPublicKey(exportPublicKey(key.publicKey)))).toBe(key.keyId);
    expect(keyIdOf(importPublicKey(key.publicKey.export({ type: 'spki', format: 'pem' }).toString()))).toBe(key.keyId);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(() => importPublicKey(rsa)).toThrow(EvidenceKeyError);
    expect(() => importPublicKey('not a key')).toThrow(/copy it from the CC8.1 admin page/);
  });
});
