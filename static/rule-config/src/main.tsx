import '../../shared/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RuleConfigApp } from './rule-config-app';
import './rule-config.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <RuleConfigApp />
    </StrictMode>,
  );
}
