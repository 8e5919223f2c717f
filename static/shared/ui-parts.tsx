// Small components shared by the Custom UI apps (issue panel, admin page).
import { useId, type ReactNode } from 'react';
import type { Tone } from './view-format';

export function Section({ title, children, testId, busy }: { title: string; children: ReactNode; testId: string; busy?: boolean }) {
  const id = useId();
  return (
    <section className="cc81-section" aria-labelledby={id} data-testid={testId} aria-busy={busy === undefined ? undefined : busy}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Badge({ tone, icon, label, testId }: { tone: Tone; icon: string; label: string; testId?: string }) {
  return (
    <span className={`cc81-badge cc81-tone-${tone}`} data-testid={testId} data-tone={tone}>
      <span aria-hidden="true" className="cc81-icon">
        {icon}
      </span>{' '}
      {label}
    </span>
  );
}

/** The loading placeholder: three pulsing lines and a status line for screen readers. */
export function Skeleton({ label, testId }: { label: string; testId: string }) {
  return (
    <div className="cc81-skeleton" data-testid={testId}>
      <span className="cc81-visually-hidden" role="status">
        {label}
      </span>
      <div className="cc81-skeleton-line" aria-hidden="true" />
      <div className="cc81-skeleton-line cc81-short" aria-hidden="true" />
      <div className="cc81-skeleton-line" aria-hidden="true" />
    </div>
  );
}
