/** The sandbox's single page: the shell the client script (assets/sandbox-ui.js) fills in over REST. */
import { escapeHtml, jsonForScript } from './html';
import type { PageConfig } from './page-config';

export const ASSET_PATHS = {
  script: '/sandbox/assets/sandbox-ui.js',
  usersScript: '/sandbox/assets/sandbox-users.js',
  style: '/sandbox/assets/sandbox-ui.css',
} as const;

/** Jira's settings page of the app (its jira:adminPage), linked from every sandbox page. */
export const ADMIN_LINK = { href: '/sandbox/admin', label: 'Jira settings → Apps → CC8.1 Change Control' } as const;

/** The head and top bar of every sandbox page, with `current` marked in the navigation (the tickets page is the app's home: its title is the brand). */
export const pageTop = (title: string | null, current: 'tickets' | 'rules' | 'admin' | 'evidence'): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title ? `${escapeHtml(title)} · ` : ''}CC8.1 sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_PATHS.style}">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  ${current === 'tickets' ? '<h1 class="brand" data-testid="app-title">CC8.1 sandbox</h1>' : '<p class="brand">CC8.1 sandbox</p>'}
  <nav class="topnav" aria-label="Sandbox">
    ${current === 'tickets' ? '<a href="#/" aria-current="page">Change tickets</a>' : '<a href="/">Change tickets</a>'}
    <a href="/sandbox/rules"${current === 'rules' ? ' aria-current="page"' : ''}>Installed rules</a>
    <a href="/sandbox/project/evidence"${current === 'evidence' ? ' aria-current="page"' : ''}>Project CHG → CC8.1 evidence</a>
    <a href="${ADMIN_LINK.href}"${current === 'admin' ? ' aria-current="page"' : ''}>${ADMIN_LINK.label}</a>
  </nav>
  <div class="switcher">
    <label for="user-switcher">Acting as</label>
    <select id="user-switcher" data-testid="user-switcher" aria-describedby="acting-hint"></select>
    <span id="acting-hint" class="acting-hint" data-testid="acting-user"></span>
  </div>
</header>
`;

export const renderAppPage = (config: PageConfig): string => `${pageTop(null, 'tickets')}<div class="flags" id="flags" data-testid="flags"></div>
<main id="main" class="layout" tabindex="-1">
  <section class="pane list-pane" aria-labelledby="list-heading">
    <h2 id="list-heading">Change tickets <span class="muted">(${escapeHtml(config.projectKey)})</span></h2>
    <p class="muted small" id="list-jql">JQL: <code>${escapeHtml(config.jql)}</code></p>
    <div id="ticket-list-status" class="muted" role="status" data-testid="ticket-list-status">Loading tickets…</div>
    <table class="tickets" data-testid="ticket-list" aria-describedby="list-jql">
      <thead><tr><th scope="col">Key</th><th scope="col">Summary</th><th scope="col">Status</th><th scope="col">Type</th><th scope="col">Risk</th></tr></thead>
      <tbody id="ticket-rows"></tbody>
    </table>
  </section>
  <section class="pane issue-pane" id="issue-view" data-testid="issue-view" aria-live="off" aria-busy="false">
    <div class="empty-state" data-testid="issue-empty">
      <h2>No ticket selected</h2>
      <p>Pick a change ticket from the list. The transitions you see are those the acting user may take.</p>
    </div>
  </section>
</main>
<dialog id="transition-dialog" class="dialog" data-testid="transition-dialog" aria-labelledby="transition-title">
  <form id="transition-form" novalidate>
    <h2 id="transition-title" data-testid="transition-title"></h2>
    <p id="transition-path" class="muted"></p>
    <div id="transition-error" class="banner banner-error" role="alert" data-testid="transition-error" hidden></div>
    <div id="transition-fields" class="form-fields"></div>
    <div class="dialog-actions">
      <button type="submit" class="button primary" id="transition-submit" data-testid="transition-submit">Transition</button>
      <button type="button" class="button subtle" id="transition-cancel" data-testid="transition-cancel">Close</button>
    </div>
  </form>
</dialog>
<script type="application/json" id="cc81-config">${jsonForScript(config)}</script>
<script src="${ASSET_PATHS.usersScript}" defer></script>
<script src="${ASSET_PATHS.script}" defer></script>
</body>
</html>
`;
