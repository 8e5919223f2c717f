/**
 * `/sandbox/admin`: Jira settings → Apps → CC8.1 Change Control. As Jira does for a
 * `jira:adminPage`, it opens the app's admin page (its sandbox build, with the @forge/bridge shim)
 * in an iframe, for a Jira admin only; its script (assets/sandbox-admin.js) asks the sandbox for the
 * session as the acting user and shows the sandbox's refusal to anyone else.
 */
import { ADMIN_PAGE_MODULE_TYPE, EVIDENCE_PAGE_MODULE_TYPE } from '../forge-ui/admin-page-host';
import { FORGE_UI_PATHS } from '../bridge/protocol';
import { ADMIN_LINK, ASSET_PATHS, pageTop } from './app-page';
import { jsonForScript } from './html';

export const ADMIN_SETTINGS_PATH = ADMIN_LINK.href;
/** The project's CC8.1 evidence page (jira:projectPage), as a project sidebar item opens it. */
export const EVIDENCE_PAGE_PATH = '/sandbox/project/evidence';
export const ADMIN_SCRIPT_PATH = '/sandbox/assets/sandbox-admin.js';

/** A Jira page that hosts one of the app's pages in an iframe (its script opens the session for `module`). */
const hostPage = (title: string, current: 'admin' | 'evidence', heading: { text: string; testId: string }, opening: string, module: string): string => `${pageTop(title, current)}<main id="main" class="admin-settings" tabindex="-1">
  <h1 class="admin-settings-title" data-testid="${heading.testId}">${heading.text}</h1>
  <div id="admin-page-status" class="muted" role="status" data-testid="admin-page-status">${opening}</div>
  <div id="admin-page-slot"></div>
</main>
<script type="application/json" id="cc81-admin-config">${jsonForScript({ sessions: FORGE_UI_PATHS.sessions, module })}</script>
<script src="${ASSET_PATHS.usersScript}" defer></script>
<script src="${ADMIN_SCRIPT_PATH}" defer></script>
</body>
</html>
`;

export const renderAdminSettingsPage = (): string =>
  hostPage('CC8.1 Change Control · Apps · Jira settings', 'admin', { text: ADMIN_LINK.label, testId: 'admin-breadcrumb' }, 'Opening the app\'s settings…', ADMIN_PAGE_MODULE_TYPE);

/** `/sandbox/project/evidence`: Project CHG → CC8.1 evidence, the app's project page in an iframe, for anyone (the app decides who may export). */
export const renderEvidencePage = (): string =>
  hostPage('CC8.1 evidence · Project CHG', 'evidence', { text: 'Project CHG → CC8.1 evidence', testId: 'evidence-breadcrumb' }, 'Opening the app\'s page…', EVIDENCE_PAGE_MODULE_TYPE);
