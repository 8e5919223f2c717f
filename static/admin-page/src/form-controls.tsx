// Labelled form controls with their hints and field errors (by dotted policy path), and the error summary.
import type { MouseEvent, ReactNode, RefObject } from 'react';
import type { FieldError } from '../../../src/shared/admin-contract';
import { controlId, controlOf, errorId, errorsAt, pathLabel, type PolicyForm } from './admin-model';

/** Moves focus to the control itself (a fragment link only scrolls, and the Custom UI iframe should keep its URL). */
const focusControl = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
  const target = event.currentTarget.ownerDocument.getElementById(id);
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView?.({ block: 'center' });
};

export function ErrorSummary({ headline, errors, innerRef }: { headline: string; errors: FieldError[]; innerRef: RefObject<HTMLDivElement | null> }) {
  return (
    <div className="cc81-banner cc81-tone-danger" role="alert" tabIndex={-1} ref={innerRef} data-testid="form-errors">
      <p>
        <strong>{headline}</strong>
      </p>
      <ul>
        {errors.map((e, i) => {
          const control = controlOf(e.path);
          return (
            <li key={`${e.path}-${i}`} data-path={e.path}>
              {control ? (
                <a href={`#${controlId(control)}`} onClick={(event) => focusControl(event, controlId(control))}>
                  {pathLabel(e.path)}
                </a>
              ) : (
                <strong>{pathLabel(e.path)}</strong>
              )}: {e.message}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export interface FormProps {
  form: PolicyForm;
  errors: FieldError[];
  update: (path: string | null, patch: Partial<PolicyForm>) => void;
}

interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

const FieldErrors = ({ path, messages }: { path: string; messages: string[] }) =>
  messages.length === 0 ? null : (
    <p id={errorId(path)} className="cc81-field-error" data-testid={`error-${path}`}>
      <span aria-hidden="true" className="cc81-icon">
        ✕
      </span>{' '}
      {messages.join(' ')}
    </p>
  );

const describedBy = (...ids: (string | null | false)[]) => ids.filter(Boolean).join(' ') || undefined;

/** A labelled control with its hint and its errors (looked up by the control's dotted policy path). */
export function Field({ path, label, hint, errors, children }: { path: string; label: string; hint?: ReactNode; errors: FieldError[]; children: (props: ControlProps) => ReactNode }) {
  const messages = errorsAt(errors, path);
  const hintId = hint ? `${controlId(path)}-hint` : null;
  return (
    <div className={messages.length ? 'cc81-field cc81-invalid' : 'cc81-field'} data-testid={`field-${path}`}>
      <label htmlFor={controlId(path)}>{label}</label>
      {children({ id: controlId(path), 'aria-invalid': messages.length > 0, 'aria-describedby': describedBy(hintId, messages.length > 0 && errorId(path)) })}
      {hint && (
        <p id={hintId ?? undefined} className="cc81-hint">
          {hint}
        </p>
      )}
      <FieldErrors path={path} messages={messages} />
    </div>
  );
}

/** A group of checkboxes or radios: a fieldset whose legend names it; focusable from the error summary. */
export function Group({ path, legend, hint, errors, children }: { path: string; legend: string; hint?: string; errors: FieldError[]; children: ReactNode }) {
  const messages = errorsAt(errors, path);
  const hintId = hint ? `${controlId(path)}-hint` : null;
  return (
    <fieldset
      id={controlId(path)}
      tabIndex={-1}
      className={messages.length ? 'cc81-group cc81-invalid' : 'cc81-group'}
      aria-describedby={describedBy(hintId, messages.length > 0 && errorId(path))}
      aria-invalid={messages.length > 0}
      data-testid={`field-${path}`}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={hintId ?? undefined} className="cc81-hint">
          {hint}
        </p>
      )}
      <div className="cc81-choices">{children}</div>
      <FieldErrors path={path} messages={messages} />
    </fieldset>
  );
}
