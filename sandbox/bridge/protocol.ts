/**
 * What the sandbox's `@forge/bridge` / `@forge/jira-bridge` shim (browser side) and the sandbox
 * server (sandbox/forge-ui) agree on: the routes, the session header, and the postMessage
 * protocol between the Custom UI iframe and the sandbox page that hosts it (Jira's role). Plain
 * constants only: this module is bundled into the Custom UI page.
 */

export const FORGE_UI_PATHS = {
  /** `POST` (basic auth, as the page's acting user): opens a Custom UI session for one rule. */
  sessions: '/sandbox/forge/sessions',
  /** `GET ?session=…`: the Forge context of the session (what `view.getContext()` returns). */
  context: '/sandbox/forge/context',
  /** `POST { moduleKey, functionKey, payload }`: `invoke()`, run by the app's resolver. */
  invoke: '/sandbox/forge/invoke',
  /** `POST { transitionId, kind, config }` (basic auth, Jira admins): saves what `onConfigure` returned. */
  ruleConfig: '/sandbox/forge/rule-config',
  /** Prefix of `requestJira()`: `/sandbox/forge/jira/rest/api/3/...` is REST as the session's user. */
  jira: '/sandbox/forge/jira',
  /** The rule config page's sandbox build (static/rule-config/build-sandbox). */
  ruleConfigPage: '/sandbox/custom-ui/rule-config/',
  /** The issue panel's sandbox build (static/issue-panel/build-sandbox). */
  issuePanelPage: '/sandbox/custom-ui/issue-panel/',
} as const;

/** `module` of a `POST /sandbox/forge/sessions` body that opens the issue panel (else: a rule config page). */
export const ISSUE_PANEL_MODULE_TYPE = 'jira:issuePanel';

/** The header (and query parameter `session`) the shim authenticates with. */
export const SESSION_HEADER = 'x-cc81-sandbox-session';

/** `source` of messages from the hosting page to the iframe. */
export const HOST_SOURCE = 'cc81-sandbox-host';
/** `source` of messages from the iframe's bridge shim to the hosting page. */
export const BRIDGE_SOURCE = 'cc81-sandbox-bridge';

export const MESSAGES = {
  /** Host → iframe `{ requestId }`: run the `onConfigure` callback (the dialog's Add / Update). */
  configure: 'configure',
  /** Iframe → host `{ requestId, registered, result?, error? }`. */
  configureResult: 'configure-result',
  /** Iframe → host: `onConfigure` registered a callback (the host may enable Add / Update). */
  configureReady: 'configure-ready',
  /** Iframe → host `{ payload }`: `view.submit(payload)`. */
  submit: 'submit',
  /** Iframe → host `{ payload }`: `view.close(payload)`. */
  close: 'close',
} as const;
