import '../../shared/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminPageApp } from './admin-page-app';
import { enableTheme, exportApi, invokeAdmin, loadContext, pipelinesApi } from './admin-bridge';
import { createAdminApi, isEvidencePage } from './admin-model';
import { EvidencePageApp } from './evidence-page';
import './admin-page.css';

void enableTheme();

const root = document.getElementById('root');
if (root) {
  const deps = { api: createAdminApi(invokeAdmin), exportApi, pipelinesApi, loadContext };
  // One resource, two modules: the admin page, and the project's evidence page (the export alone: no pipelines).
  void loadContext().then((context) => {
    createRoot(root).render(<StrictMode>{isEvidencePage(context) ? <EvidencePageApp deps={deps} /> : <AdminPageApp deps={deps} />}</StrictMode>);
  });
}
