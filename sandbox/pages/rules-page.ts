/**
 * `/sandbox/rules`: the CC8.1 rules installed on the sandbox's workflow, per transition, as readable
 * HTML. The data comes from an injected `rules()` (the workflow engine's `installedRules()` in the
 * sandbox); this page knows nothing of its shape beyond "a list of objects", so it renders any JSON:
 * objects as definition lists, arrays as lists, and expressions and other long text as code blocks.
 */
import { ASSET_PATHS, pageTop } from './app-page';

/** The rules page's client script: the user switcher and the rule config dialog (Configure). */
export const RULES_SCRIPT_PATH = '/sandbox/assets/sandbox-rules.js';
import { escapeHtml } from './html';

/** Keys whose string values are code (shown as preformatted blocks). */
const CODE_KEYS = new Set(['expression', 'jql']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const renderValue = (value: unknown, key?: string): string => {
  if (value === null || value === undefined) return '<span class="muted">none</span>';
  if (typeof value === 'string') {
    if ((key && CODE_KEYS.has(key)) || value.length > 100 || value.includes('\n')) {
      return `<pre class="code"><code>${escapeHtml(value)}</code></pre>`;
    }
    return escapeHtml(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `<code>${escapeHtml(String(value))}</code>`;
  if (Array.isArray(value)) {
    if (!value.length) return '<span class="muted">none</span>';
    const tag = value.every((item) => !isRecord(item) && !Array.isArray(item)) ? 'ul' : 'ol';
    return `<${tag} class="json-list">${value.map((item) => `<li>${renderValue(item, key)}</li>`).join('')}</${tag}>`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (!entries.length) return '<span class="muted">{}</span>';
    return `<dl class="json-object">${entries.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${renderValue(v, k)}</dd></div>`).join('')}</dl>`;
  }
  return escapeHtml(String(value));
};

const nameOf = (value: { id?: unknown; name?: unknown } | undefined): string | null =>
  value && typeof value === 'object' ? String(value.name ?? value.id ?? '') || null : null;

const KINDS = ['validator', 'condition'] as const;

interface ExpressionRuleLike {
  part?: unknown;
  parts?: unknown;
  config?: unknown;
}

/**
 * Jira's workflow editor buttons for the CC8.1 validator and condition of a transition: one per
 * installed rule (part), or "Add" when the transition has none of that kind. Disabled until the
 * page's script knows the acting user is a Jira admin.
 */
const ruleActions = (item: Record<string, unknown>): string => {
  if (typeof item.transitionId !== 'string') return '';
  const transitionId = item.transitionId;
  const buttons = KINDS.flatMap((kind) => {
    const rules = item[kind === 'validator' ? 'validators' : 'conditions'];
    const list = Array.isArray(rules) ? (rules as ExpressionRuleLike[]) : [];
    const button = (label: string, part: number, configured: boolean) =>
      `<button type="button" class="button configure-rule" data-transition-id="${escapeHtml(transitionId)}" data-kind="${kind}" data-part="${part}" data-configured="${configured}" disabled>${escapeHtml(label)}</button>`;
    if (!list.length) return [button(`Add ${kind}`, 1, false)];
    return list.map((rule) => {
      const part = typeof rule.part === 'number' ? rule.part : 1;
      const parts = typeof rule.parts === 'number' ? rule.parts : 1;
      return button(parts > 1 ? `Configure ${kind} (part ${part} of ${parts})` : `Configure ${kind}`, part, rule.config !== null && rule.config !== undefined);
    });
  });
  return `<div class="rule-actions" data-testid="rule-actions" data-transition-id="${escapeHtml(transitionId)}">${buttons.join('')}<p class="muted small configure-note" data-testid="configure-note">Only Jira admins can configure workflow rules.</p></div>`;
};

const titleOf = (item: unknown, index: number): { title: string; subtitle: string | null } => {
  if (!isRecord(item)) return { title: `Entry ${index + 1}`, subtitle: null };
  const title = String(item.transitionName ?? item.name ?? item.edge ?? item.id ?? `Entry ${index + 1}`);
  const from = nameOf(item.from as { name?: unknown } | undefined);
  const to = nameOf(item.to as { name?: unknown } | undefined);
  const parts = [from && to ? `${from} → ${to}` : null, item.transitionId !== undefined ? `transition ${String(item.transitionId)}` : null, item.edge ? `edge ${String(item.edge)}` : null];
  return { title, subtitle: parts.filter(Boolean).join(' · ') || null };
};

const page = (body: string): string => `${pageTop('Installed CC8.1 rules', 'rules')}<main id="main" class="rules-page" tabindex="-1">
<div id="rule-config-result" class="rule-config-result" role="status" data-testid="rule-config-result" hidden></div>
${body}
</main>
<dialog id="rule-config-dialog" class="dialog rule-config-dialog" data-testid="rule-config-dialog" aria-labelledby="rule-config-title">
  <h2 id="rule-config-title" data-testid="rule-config-title"></h2>
  <p id="rule-config-path" class="muted small"></p>
  <iframe id="rule-config-frame" class="rule-config-frame" data-testid="rule-config-frame" title="CC8.1 rule configuration (the app's page)"></iframe>
  <div id="rule-config-error" class="banner banner-error" role="alert" data-testid="rule-config-error" hidden></div>
  <div class="dialog-actions">
    <button type="button" class="button primary" id="rule-config-save" data-testid="rule-config-save" disabled>Add</button>
    <button type="button" class="button subtle" id="rule-config-cancel" data-testid="rule-config-cancel">Cancel</button>
  </div>
</dialog>
<script src="${ASSET_PATHS.usersScript}" defer></script>
<script src="${RULES_SCRIPT_PATH}" defer></script>
</body>
</html>
`;

export type RulesSource = { ok: true; data: unknown } | { ok: false; reason: 'not-configured' } | { ok: false; reason: 'failed'; message: string };

export const renderRulesPage = (source: RulesSource): string => {
  const heading = '<h1 data-testid="rules-title">Installed CC8.1 rules</h1>';
  if (!source.ok) {
    const why =
      source.reason === 'not-configured'
        ? 'This sandbox was started without a rules source, so there is nothing to show.'
        : `Reading the installed rules failed: ${escapeHtml(source.message)}`;
    return page(`${heading}\n<div class="banner banner-error" role="alert" data-testid="rules-error">${why}</div>`);
  }
  const items = Array.isArray(source.data) ? source.data : [source.data];
  const sections = items.map((item, i) => {
    const { title, subtitle } = titleOf(item, i);
    const id = `rule-${i + 1}`;
    const transitionAttr = isRecord(item) && typeof item.transitionId === 'string' ? ` data-transition-id="${escapeHtml(item.transitionId)}"` : '';
    return { id, title, html: `<section class="rule-card" id="section-${id}" aria-labelledby="${id}" data-testid="rule-transition"${transitionAttr}>
<h2 id="${id}">${escapeHtml(title)}${subtitle ? ` <span class="muted small">${escapeHtml(subtitle)}</span>` : ''}</h2>
${isRecord(item) ? ruleActions(item) : ''}
${renderValue(item)}
</section>` };
  });
  const toc = sections.length
    ? `<nav aria-label="Transitions" class="rules-toc"><ol>${sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ol></nav>`
    : '<p class="muted">No rules are installed.</p>';
  const intro =
    '<p>What Jira evaluates on each transition of the CC8.1 workflow: the compiled conditions and validators (Jira expressions), the function validators and the post functions. The same data as JSON: <a href="/sandbox/api/rules"><code>/sandbox/api/rules</code></a>.</p>';
  return page(`${heading}\n${intro}\n${toc}\n${sections.map((s) => s.html).join('\n')}`);
};
