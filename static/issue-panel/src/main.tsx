import '../../shared/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { IssuePanelApp } from './issue-panel-app';
import { enableTheme, loadContext, loadPanel, whoAmI } from './panel-bridge';
import { browserDownload } from './panel-browser';
import './issue-panel.css';

void enableTheme();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <IssuePanelApp deps={{ loadPanel, loadContext, now: () => Date.now(), download: browserDownload, whoAmI }} />
    </StrictMode>,
  );
}
