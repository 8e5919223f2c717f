// The project's CC8.1 evidence page (jira:projectPage): the evidence export alone, for the policy's
// exporters (compliance leads who are not Jira admins) as well as Jira admins. The resolver decides who.
import { useEffect, useState } from 'react';
import type { AdminError, ExportContext } from '../../../src/shared/admin-contract';
import { Skeleton } from '../../shared/ui-parts';
import { viewerLocale, viewerTimeZone, type TimeFormat } from '../../shared/view-format';
import type { AdminApi } from './admin-model';
import { ExportSection } from './export-section';
import type { ExportApi } from './export-model';

type Load = { phase: 'loading' } | { phase: 'error'; error: AdminError } | { phase: 'ready'; context: ExportContext; view: unknown };

export function EvidencePageApp({ deps }: { deps: { api: AdminApi; exportApi: ExportApi; loadContext: () => Promise<unknown> } }) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  useEffect(() => {
    let live = true;
    void Promise.all([deps.api.getExportContext(), deps.loadContext()]).then(([result, view]) => {
      if (live) setLoad(result.ok ? { phase: 'ready', context: result.data, view } : { phase: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [deps]);
  const format: TimeFormat | null = load.phase === 'ready' ? { timeZone: viewerTimeZone(load.view), locale: viewerLocale(load.view) } : null;
  return (
    <main className="cc81-admin" aria-busy={load.phase === 'loading'} data-testid="cc81-evidence-page">
      <h1>CC8.1 evidence export</h1>
      {load.phase === 'loading' ? (
        <Skeleton label="Loading…" testId="evidence-loading" />
      ) : load.phase === 'error' ? (
        <p className="cc81-banner cc81-tone-danger" role="alert" data-testid="evidence-refused">
          {load.error.message}
        </p>
      ) : (
        <>
          <p className="cc81-muted" data-testid="evidence-who">
            For Jira admins{load.context.exportersGroup ? ` and members of the group "${load.context.exportersGroup}"` : ''}. The export reads the tickets as the app; it changes nothing.
          </p>
          <ExportSection api={deps.exportApi} readOnly={!load.context.licensed} format={format!} scope={load.context.scope} />
        </>
      )}
    </main>
  );
}
