import '../../shared/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminPageApp } from './admin-page-app';
import { enableTheme, exportApi, invokeAdmin, loadContext } from './admin-bridge';
import { createAdminApi } from './admin-model';
import './admin-page.css';

void enableTheme();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AdminPageApp deps={{ api: createAdminApi(invokeAdmin), exportApi, loadContext }} />
    </StrictMode>,
  );
}
