/** Reading parsed option values: what every subcommand shares. */
import { UsageError } from './cli-errors';
import type { Command } from './help';

export type Values = Record<string, string | boolean | string[] | undefined>;

export const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

export const strings = (values: Values, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

export const required = (values: Values, name: string, command: Command): string => {
  const v = str(values, name)?.trim();
  if (!v) throw new UsageError(`--${name} is required.`, command);
  return v;
};

export const formatOf = (values: Values, command: Command): 'json' | 'table' => {
  const format = str(values, 'format') ?? 'table';
  if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got '${format}'.`, command);
  return format;
};
