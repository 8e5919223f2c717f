import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminPageApp } from './admin-page-app';
import { enableTheme, invokeAdmin, loadContext } from './admin-bridge';
import { createAdminApi } from './admin-model';
import './admin-page.css';

void enableTheme();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AdminPageApp deps={{ api: createAdminApi(invokeAdmin), loadContext }} />
    </StrictMode>,
  );
}
