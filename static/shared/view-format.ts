// View helpers shared by the Custom UI apps (issue panel, admin page): tones, verdicts and times in
// the viewer's zone. Pure TypeScript: no DOM, no bridge.

export type Tone = 'ok' | 'danger' | 'warning' | 'neutral';

export interface Verdict {
  tone: Tone;
  /** Shown next to the icon: the meaning never rests on colour alone. */
  label: string;
  icon: string;
}

export const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object';

export interface TimeFormat {
  timeZone: string;
  locale?: string;
}

export const browserTimeZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const isValidZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** The viewer's zone: Forge's context `timezone` when valid, else the browser's. */
export const viewerTimeZone = (context: unknown, fallback: string = browserTimeZone()): string => {
  const zone = isObject(context) ? context.timezone : undefined;
  return typeof zone === 'string' && zone && isValidZone(zone) ? zone : fallback;
};

export const viewerLocale = (context: unknown): string | undefined => {
  const locale = isObject(context) ? context.locale : undefined;
  if (typeof locale !== 'string' || !locale) return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale.replace('_', '-')])[0];
  } catch {
    return undefined;
  }
};

/** "23 Nov 2026, 14:05 GMT+1": date, time and zone, in the viewer's zone. Unparseable input is returned as is. */
export const formatTime = (iso: string | null, format: TimeFormat): string => {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(format.locale ?? 'en-GB', {
    timeZone: format.timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
};

/** ISO instants inside a message (`2026-11-20T12:00:00.000Z`, with an offset too), each formatted as `formatTime` does. */
const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;
export const formatTimesIn = (text: string, format: TimeFormat): string => text.replace(ISO_IN_TEXT, (iso) => formatTime(iso, format));
