/** App-storage keys of the evidence log (KVS keys ≤ 500 characters; issue ids are digits). */
const SEQ_DIGITS = 6;
export const MAX_LOG_SEQ = 10 ** SEQ_DIGITS - 1;

export const logRecordPrefix = (issueId: string): string => `cc81:log:${issueId}:`;
/** Zero-padded, so key order is sequence order. */
export const logRecordKey = (issueId: string, seq: number): string => `${logRecordPrefix(issueId)}${String(seq).padStart(SEQ_DIGITS, '0')}`;
export const logHeadKey = (issueId: string): string => `cc81:log-head:${issueId}`;

/** The sequence number a record key names, or null for a key that is not `<prefix><digits>`. */
export const seqOfKey = (issueId: string, key: string): number | null => {
  const prefix = logRecordPrefix(issueId);
  if (!key.startsWith(prefix)) return null;
  const rest = key.slice(prefix.length);
  return new RegExp(`^\\d{${SEQ_DIGITS}}$`).test(rest) ? Number(rest) : null;
};
