import { readFileSync } from 'fs';
import { resolve } from 'path';
import { validate } from '@forge/manifest';
import { parse } from 'yaml';
import { z } from 'zod';
import * as handlers from '../src/index';
import { EVIDENCE_PAGE_MODULE_KEY } from '../static/admin-page/src/admin-model';
import { POSTHOC_PROPERTY_KEY, POSTHOC_SEARCH_ALIASES } from '../src/sweep/posthoc-property';

const MANIFEST_PATH = resolve(__dirname, '..', 'manifest.yml');
// read:jira-user: with read:jira-work, what POST /rest/api/3/expression/analyse requires (install checks every compiled rule).
const EXPECTED_SCOPES = ['manage:jira-configuration', 'read:jira-user', 'read:jira-work', 'storage:app', 'write:jira-work'];


const ManifestSchema = z.object({
  modules: z.object({
    function: z.array(z.object({ key: z.string(), handler: z.string() })),
    'jira:workflowValidator': z.array(z.object({ key: z.string(), expression: z.string().optional(), function: z.string().optional() })),
    'jira:workflowCondition': z.array(z.object({ expression: z.string() })),
    'jira:projectPage': z.array(z.object({ key: z.string(), resource: z.string(), resolver: z.object({ function: z.string() }) })),
    'jira:adminPage': z.array(z.object({ key: z.string(), resource: z.string(), resolver: z.object({ function: z.string() }) })),
    'jira:entityProperty': z.array(z.object({ key: z.string(), entityType: z.string(), propertyKey: z.string(), values: z.array(z.object({ path: z.string(), type: z.string(), searchAlias: z.string() })) })),
  }),
  permissions: z.object({ scopes: z.array(z.string()) }),
});

const readManifest = () => ManifestSchema.parse(parse(readFileSync(MANIFEST_PATH, 'utf8')));

describe('manifest.yml', () => {
  it('passes @forge/manifest full validation', async () => {
    const result = await validate(false, MANIFEST_PATH);
    const all = result.errors ?? [];
    const warnings = all.filter((e) => e.level === 'warning');
    if (warnings.length > 0) {
      console.warn(warnings.map((w) => `warning: ${w.message} (line ${w.line ?? '?'})`).join('\n'));
    }
    const errors = all.filter((e) => e.level !== 'warning');
    expect(errors.map((e) => `${e.message} (line ${e.line ?? '?'})`)).toEqual([]);
    expect(result.manifestObject?.typedContent).toBeDefined();
  }, 30_000);

  it('names only handlers that src/index.ts exports as functions, and src/index.ts exports nothing else', () => {
    const fns = readManifest().modules.function;
    expect(fns.length).toBeGreaterThan(0);
    const exported = handlers as Record<string, unknown>;
    const names = fns.map(({ key, handler }) => {
      const match = /^index\.([A-Za-z_$][\w$]*)$/.exec(handler);
      expect({ key, handler, ok: match !== null }).toEqual({ key, handler, ok: true });
      const name = match?.[1] ?? '';
      expect({ key, name, type: typeof exported[name] }).toEqual({ key, name, type: 'function' });
      return name;
    });
    expect(Object.keys(exported).sort()).toEqual([...new Set(names)].sort());
  });

  it('indexes the post-hoc property under the aliases the app and the sandbox\'s JQL use (one source: posthoc-property.ts)', () => {
    const modules = readManifest().modules['jira:entityProperty'];
    expect(modules.map((m) => ({ entityType: m.entityType, propertyKey: m.propertyKey, values: m.values }))).toEqual([
      { entityType: 'issue', propertyKey: POSTHOC_PROPERTY_KEY, values: POSTHOC_SEARCH_ALIASES.map((a) => ({ ...a })) },
    ]);
  });

  it('serves the evidence page from the admin page\'s resource and resolver, under the module key the UI switches on', () => {
    const { 'jira:projectPage': pages, 'jira:adminPage': admin } = readManifest().modules;
    expect(pages).toEqual([{ key: EVIDENCE_PAGE_MODULE_KEY, resource: admin[0]!.resource, resolver: admin[0]!.resolver }]);
  });

  it('declares exactly the minimal scopes', () => {
    expect([...readManifest().permissions.scopes].sort()).toEqual(EXPECTED_SCOPES);
  });

  it('gives every workflow validator exactly one of expression or function', () => {
    for (const validator of readManifest().modules['jira:workflowValidator']) {
      expect({ key: validator.key, kinds: [validator.expression, validator.function].filter((v) => v !== undefined).length }).toEqual({ key: validator.key, kinds: 1 });
    }
  });

  it('ships placeholder workflow rules that fail closed', () => {
    const { modules } = readManifest();
    const expressionValidators = modules['jira:workflowValidator'].filter((v) => v.function === undefined);
    expect(expressionValidators.length).toBeGreaterThan(0);
    for (const { expression } of expressionValidators) {
      expect(expression).toMatch(/^"[^"]+"$/);
    }
    for (const { expression } of modules['jira:workflowCondition']) {
      expect(expression.trim()).toBe('false');
    }
  });
});
