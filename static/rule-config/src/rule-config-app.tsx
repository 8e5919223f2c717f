import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { RuleKind } from '../../../src/domain/expression/compiled-rule';
import type { RuleOptions } from '../../../src/shared/rule-config-contract';
import { compileRule, loadPageContext, loadRuleOptions, onSave } from './rule-config-bridge';
import {
  NO_SELECTION,
  canSave,
  edgeChoices,
  edgeDetails,
  errorText,
  initialSelection,
  saveOutcome,
  selectEdge,
  selectPart,
  viewModel,
  type Loaded,
  type PageContext,
  type Selection,
} from './rule-config-model';

type Page = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; context: PageContext };

const title = (kind: RuleKind | null): string => (kind === 'condition' ? 'CC8.1 transition condition' : kind === 'validator' ? 'CC8.1 transition validator' : 'CC8.1 workflow rule');

export function RuleConfigApp() {
  const [page, setPage] = useState<Page>({ state: 'loading' });
  const [options, setOptions] = useState<Loaded<RuleOptions> | null>(null);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [saveError, setSaveError] = useState<string | null>(null);
  const selectionRef = useRef(selection);

  useEffect(() => {
    selectionRef.current = selection;
  }, [selection]);

  useEffect(() => {
    let live = true;
    loadPageContext().then(
      async (context) => {
        if (!live) return;
        setPage({ state: 'ready', context });
        const loaded = await loadRuleOptions();
        if (!live) return;
        setOptions(loaded);
        if (loaded.ok && context.entryPoint !== 'view') setSelection(initialSelection(loaded.data, context.saved));
      },
      () => live && setPage({ state: 'failed', message: 'Jira did not give this page its context. Close the dialog and open it again.' }),
    );
    return () => {
      live = false;
    };
  }, []);

  const editing = page.state === 'ready' && page.context.entryPoint !== 'view';
  useEffect(() => {
    if (!editing) return;
    onSave(async () => {
      const current = selectionRef.current;
      const outcome = saveOutcome(current, current.edge === null ? null : await compileRule({ edge: current.edge, part: current.part }));
      setSaveError(outcome.save ? null : outcome.message);
      return outcome.save ? outcome.json : undefined;
    }).catch(() => setSaveError('Jira did not accept this page as the rule editor. Close the dialog and open it again.'));
  }, [editing]);

  if (page.state === 'loading') return <Shell kind={null}><p role="status">Loading…</p></Shell>;
  if (page.state === 'failed') return <Shell kind={null}><p role="alert">{page.message}</p></Shell>;

  const { context } = page;
  if (context.entryPoint === 'view') return <Shell kind={context.kind}><RuleView context={context} options={options} /></Shell>;

  const kind = options?.ok ? options.data.kind : (context.kind ?? 'rule');
  return (
    <Shell kind={context.kind}>
      <p>Pick the lifecycle step this {kind} guards. The app compiles the step&apos;s CC8.1 checks into a Jira expression when you save.</p>
      <SavedRuleNote context={context} options={options} />
      {options === null && <p role="status">Loading lifecycle steps…</p>}
      {options !== null && !options.ok && <p role="alert" className="cc81-error">{errorText(options.error)}</p>}
      {options?.ok && (
        <RuleForm
          options={options.data}
          selection={selection}
          onSelect={(next) => {
            setSaveError(null);
            setSelection(next);
          }}
        />
      )}
      {saveError && <p role="alert" className="cc81-error">{saveError}</p>}
    </Shell>
  );
}

function Shell({ kind, children }: { kind: RuleKind | null; children: ReactNode }) {
  return (
    <main className="cc81-rule-config">
      <h1>{title(kind)}</h1>
      {children}
    </main>
  );
}

export function RuleForm({ options, selection, onSelect }: { options: RuleOptions; selection: Selection; onSelect: (next: Selection) => void }) {
  const details = edgeDetails(options, selection);
  const { kind } = options;
  return (
    <form onSubmit={(event) => event.preventDefault()} aria-describedby={canSave(options, selection) ? undefined : 'cc81-save-hint'}>
      <div className="cc81-field">
        <label htmlFor="cc81-edge">Lifecycle step</label>
        <select
          id="cc81-edge"
          value={selection.edge ?? ''}
          onChange={(event) => onSelect(selectEdge(options, selection, event.target.value))}
          aria-invalid={details?.error ? true : undefined}
          aria-describedby={details?.error ? 'cc81-edge-error' : undefined}
        >
          <option value="">Choose a step…</option>
          {edgeChoices(options).map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      {!canSave(options, selection) && (
        <p id="cc81-save-hint" className="cc81-hint">
          {details?.error ? `This ${kind} cannot be saved until the step can be compiled.` : `Choose a step to save this ${kind}.`}
        </p>
      )}
      {details?.error && (
        <p id="cc81-edge-error" role="alert" className="cc81-error">
          {details.error}
        </p>
      )}
      {details && !details.error && (
        <>
          {details.partsNotice && <p className="cc81-notice">{details.partsNotice}</p>}
          {details.partChoices.length > 1 && (
            <fieldset className="cc81-field">
              <legend>Part this {kind} checks</legend>
              {details.partChoices.map((choice) => (
                <label key={choice.value} className="cc81-radio">
                  <input
                    type="radio"
                    name="cc81-part"
                    value={choice.value}
                    checked={String(selection.part) === choice.value}
                    onChange={(event) => onSelect(selectPart(options, selection, event.target.value))}
                  />
                  {choice.label}
                </label>
              ))}
            </fieldset>
          )}
          <section aria-labelledby="cc81-checks-heading">
            <h2 id="cc81-checks-heading">What this {kind} checks</h2>
            {details.emptyChecksNotice ? (
              <p>{details.emptyChecksNotice}</p>
            ) : (
              <ul>
                {details.checks.map((check) => (
                  <li key={check}>{check}</li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </form>
  );
}

/** On the edit page: says when the saved rule is unreadable or stale (saving refreshes it). */
function SavedRuleNote({ context, options }: { context: PageContext; options: Loaded<RuleOptions> | null }) {
  const vm = viewModel(context.saved, context.kind, options);
  if (vm.state === 'unreadable') return <p className="cc81-warning">{vm.message}</p>;
  if (vm.state === 'configured' && vm.warning) {
    return <p className="cc81-warning">The saved rule is stale: {vm.warning.reasons.join(' ')} Saving refreshes it.</p>;
  }
  return null;
}

export function RuleView({ context, options }: { context: PageContext; options: Loaded<RuleOptions> | null }) {
  const vm = viewModel(context.saved, context.kind, options);
  if (vm.state !== 'configured') return <p className="cc81-warning">{vm.message}</p>;
  return (
    <>
      <dl className="cc81-summary">
        <dt>Lifecycle step</dt>
        <dd>{vm.step}</dd>
        {vm.part && (
          <>
            <dt>Part</dt>
            <dd>{vm.part}</dd>
          </>
        )}
        <dt>Compiled from</dt>
        <dd>{vm.policyVersion}</dd>
      </dl>
      {options === null && <p role="status">Checking whether this rule is up to date…</p>}
      {vm.warning && (
        <div role="alert" className="cc81-warning">
          <p>{vm.warning.message}</p>
          <ul>
            {vm.warning.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      {vm.note && <p className="cc81-hint">{vm.note}</p>}
    </>
  );
}
