/**
 * The app's seal on the `cc81.evidence` mirror: an Ed25519 signature, by a key only the app holds
 * (app storage), over the issue id and the records the mirror shows. Anyone can check it with the
 * public key (the admin page shows it; `cc81 audit --evidence-key`), so tooling that cannot read
 * app storage can still tell the app's records from records a user wrote. A user can put back a
 * mirror the app sealed earlier (fewer records), never add or alter one.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { z } from 'zod';
import type { EvidenceIntegrity } from '../domain';
import { EVIDENCE_PROPERTY_KEY, EvidenceProperty, EvidencePropertyRecord, EvidencePropertySchema } from '../jira/evidence-property';
import type { LedgerStore } from '../ports/ledger-store';
import { AppError } from '../shared/app-error';

export const SIGNING_KEY_KEY = 'cc81:mirror-signing-key';

export const SealSchema = z.object({
  alg: z.literal('Ed25519'),
  /** First 16 hex digits of the SHA-256 of the public key (DER): which key sealed it. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  issueId: z.string().regex(/^\d+$/),
  /** Older records the mirror leaves out to fit Jira's size limit (the log keeps them). */
  omitted: z.number().int().nonnegative(),
  sig: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
});
export type Seal = z.infer<typeof SealSchema>;
/** Bytes a seal adds to the mirror's JSON, at most (the mirror leaves room for it). */
export const SEAL_MAX_BYTES = 240;

export const StoredKeySchema = z.object({ v: z.literal(1), privateKey: z.string().min(1), publicKey: z.string().min(1), createdAt: z.iso.datetime({ offset: true }) });

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export class EvidenceKeyError extends AppError {
  readonly code = 'EVIDENCE_KEY_INVALID';
}

/** The public key as auditors pass it: base64 of its DER (SPKI), one line. */
export const exportPublicKey = (key: KeyObject): string => key.export({ type: 'spki', format: 'der' }).toString('base64');
export const keyIdOf = (key: KeyObject): string => createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

/** Reads a public key given as base64 DER (what the admin page shows) or PEM. */
export const importPublicKey = (text: string): KeyObject => {
  const trimmed = text.trim();
  try {
    const key = trimmed.startsWith('-----BEGIN') ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType} key`);
    return key;
  } catch (cause) {
    throw new EvidenceKeyError("the evidence key is not the app's public key: copy it from the CC8.1 admin page (Evidence key)", { cause });
  }
};

export type StoredKey = z.infer<typeof StoredKeySchema>;

/** The key in its stored form, ready to sign. */
export const signingKeyOf = (stored: Pick<StoredKey, 'privateKey'>): SigningKey => {
  const privateKey = createPrivateKey(stored.privateKey);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
};

/** A new key pair in its stored form (PKCS#8 and SPKI PEM). */
export const newStoredKey = (now: Date): StoredKey => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { v: 1, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), createdAt: now.toISOString() };
};

/**
 * The app's signing key from app storage, created on first use. Two first uses at once write one
 * key (a conditional write) and both use it. A stored value that is not a key is an error, never
 * replaced: replacing it would break every seal made with it.
 */
export const loadSigningKey = async (store: LedgerStore, now: Date): Promise<SigningKey> => {
  let stored = await store.get(SIGNING_KEY_KEY);
  if (stored === undefined || stored === null) {
    await store.setIfAbsent(SIGNING_KEY_KEY, newStoredKey(now));
    stored = await store.get(SIGNING_KEY_KEY);
  }
  const parsed = StoredKeySchema.safeParse(stored);
  if (!parsed.success) throw new EvidenceKeyError(`the app's evidence signing key in app storage (${SIGNING_KEY_KEY}) is unreadable`);
  return signingKeyOf(parsed.data);
};

/** The public key only, when one exists (the admin page); never creates one. */
export const readPublicKey = async (store: LedgerStore): Promise<{ publicKey: string; keyId: string; createdAt: string } | null> => {
  const parsed = StoredKeySchema.safeParse(await store.get(SIGNING_KEY_KEY));
  if (!parsed.success) return null;
  const key = createPublicKey(parsed.data.publicKey);
  return { publicKey: exportPublicKey(key), keyId: keyIdOf(key), createdAt: parsed.data.createdAt };
};

const sealedBytes = (issueId: string, omitted: number, records: readonly EvidencePropertyRecord[]): Buffer =>
  Buffer.from(JSON.stringify(['cc81-mirror-seal', 1, issueId, omitted, records.map((r) => [r.edge, r.from, r.to, r.accountId, r.at, r.executionId])]), 'utf8');

export const sealMirror = (property: EvidenceProperty, issueId: string, omitted: number, key: SigningKey): EvidenceProperty & { seal: Seal } => ({
  version: 1,
  records: property.records,
  seal: { alg: 'Ed25519', keyId: key.keyId, issueId, omitted, sig: sign(null, sealedBytes(issueId, omitted, property.records), key.privateKey).toString('base64') },
});

export type SealCheck = { sealed: true; evidence: EvidenceProperty; omitted: number } | { sealed: false; problem: string };

/** Whether `value` (the property as read) is a mirror the app sealed for this issue with `publicKey`. */
export const checkSeal = (value: unknown, issueId: string, publicKey: KeyObject): SealCheck => {
  if (value === undefined || value === null) return { sealed: true, evidence: { version: 1, records: [] }, omitted: 0 };
  const parsed = EvidencePropertySchema.extend({ seal: SealSchema.optional() }).safeParse(value);
  if (!parsed.success) return { sealed: false, problem: `the issue property ${EVIDENCE_PROPERTY_KEY} is not the app's record format` };
  const { records, seal } = parsed.data;
  if (!seal) return { sealed: false, problem: `the issue property ${EVIDENCE_PROPERTY_KEY} carries no seal of the app (written by hand, or before the app sealed its mirror)` };
  if (seal.keyId !== keyIdOf(publicKey)) return { sealed: false, problem: `the mirror is sealed with key ${seal.keyId}, not with the evidence key given (${keyIdOf(publicKey)})` };
  if (seal.issueId !== issueId) return { sealed: false, problem: `the mirror was sealed for issue ${seal.issueId}, not this one (copied from another issue)` };
  if (!verify(null, sealedBytes(issueId, seal.omitted, records), publicKey, Buffer.from(seal.sig, 'base64'))) return { sealed: false, problem: "the mirror's records do not match the app's seal (altered, added or removed after the app wrote them)" };
  return { sealed: true, evidence: { version: 1, records }, omitted: seal.omitted };
};

/**
 * What an auditor's tool without app storage may rely on: the sealed records, or none at all (a
 * mirror that fails the check counts as no evidence, and is reported as `EVIDENCE_TAMPERED`).
 */
export const sealedEvidence = (value: unknown, issueId: string, publicKey: KeyObject): { evidence: EvidenceProperty; integrity: EvidenceIntegrity } => {
  const check = checkSeal(value, issueId, publicKey);
  return check.sealed ? { evidence: check.evidence, integrity: { differences: [] } } : { evidence: { version: 1, records: [] }, integrity: { differences: [check.problem] } };
};
