/**
 * Structured, id-only logging for the handlers. Values are scalars by type, so a payload, an
 * issue or a response cannot be logged by accident: log keys, ids, codes and counts only.
 */
export type LogValue = string | number | boolean | null;
export type LogFields = Readonly<Record<string, LogValue>>;
export type Logger = (event: string, fields: LogFields) => void;

export const consoleLogger: Logger = (event, fields) => {
  console.log(`${event} ${JSON.stringify(fields)}`);
};
