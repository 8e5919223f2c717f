// Local ESLint rule `cc81/layer-boundaries`: dependencies point inward (DESIGN.md, "Architecture").
//
// Every file belongs to a layer by its path; each layer names the layers and packages it may not
// import. Application code (src/ outside domain/ and forge/) never imports the Forge handlers or
// @forge/*; the CLI never imports the sandbox or the handlers; nothing in src/ imports the harness
// (sandbox/, cli/, test/, bench/); and nothing but a test imports src/index.ts or a handler entry
// file (a module src/index.ts re-exports). src/domain has its own, stricter rule (domain-purity).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Layer of a repo-relative path (posix separators). */
export function layerOf(rel) {
  if (rel === 'src/index.ts') return 'index';
  if (rel.startsWith('src/domain/')) return 'domain';
  if (rel.startsWith('src/forge/')) return 'forge';
  if (rel.startsWith('src/')) return 'application';
  for (const top of ['cli', 'sandbox', 'static', 'test', 'bench']) if (rel.startsWith(`${top}/`)) return top;
  return 'other';
}

const HARNESS = ['cli', 'sandbox', 'test', 'bench'];

/** What each layer may not import: layers, and package prefixes. */
const FORBIDDEN = {
  application: { layers: ['forge', 'index', 'static', ...HARNESS], packages: ['@forge/'] },
  forge: { layers: ['index', 'static', ...HARNESS], packages: [] },
  index: { layers: ['domain', 'application', 'static', ...HARNESS], packages: [] },
  cli: { layers: ['forge', 'index', 'sandbox', 'static', 'test', 'bench'], packages: ['@forge/'] },
  sandbox: { layers: ['index', 'cli', 'test', 'bench'], packages: [] },
  bench: { layers: ['index'], packages: [] },
};

const WHY = {
  forge: 'the Forge handlers are the outermost layer: move what you need below them (src/ports, src/policy, src/panel, src/jira …)',
  index: 'src/index.ts only re-exports handlers for Forge',
  static: 'Custom UI code runs in the browser',
  cli: 'the cc81 command is a client of src/, not part of it',
  sandbox: 'the sandbox is the offline test harness, not part of the app or the CLI',
  test: 'tests depend on the code, never the other way round',
  bench: 'benchmarks depend on the code, never the other way round',
  domain: 'src/index.ts only re-exports handlers for Forge',
  application: 'src/index.ts only re-exports handlers for Forge',
  package: 'only the Forge handlers (src/forge) talk to the Forge platform; take what you need as an injected port',
  handler: 'handler entry files are for Forge alone (via src/index.ts); import the factory or application code they wrap',
};

function staticString(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const stripExt = (p) => p.replace(/\.(ts|tsx|js|mjs|cjs)$/, '');

/** The file a relative import names, as TypeScript resolves it (a folder means its index.ts). */
function resolveModule(abs) {
  for (const candidate of [abs, `${abs}.ts`, `${abs}.tsx`, `${abs}.js`, path.join(abs, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return `${abs}.ts`;
}

/** The modules src/index.ts re-exports (repo-relative, without extension). */
function handlerEntries(root) {
  let text = '';
  try {
    text = readFileSync(path.join(root, 'src', 'index.ts'), 'utf8');
  } catch {
    return new Set();
  }
  const entries = new Set();
  for (const match of text.matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
    entries.add(stripExt(path.posix.join('src', match[1])));
  }
  return entries;
}

/** @type {import('eslint').Rule.RuleModule} */
const layerBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Dependencies point inward: domain ← application ← Forge handlers; the CLI and the sandbox stay outside src/' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: "{{from}} code may not import {{to}} ('{{source}}'): {{why}}.",
      package: "{{from}} code may not import '{{source}}': {{why}}.",
      handler: "Nothing may import the handler entry file '{{source}}': {{why}}.",
    },
  },

  create(context) {
    const root = path.resolve(context.options[0]?.root ?? context.cwd);
    const relOf = (abs) => path.relative(root, abs).split(path.sep).join('/');
    const fromRel = relOf(context.filename);
    const from = layerOf(fromRel);
    const forbidden = FORBIDDEN[from];
    const entries = from === 'test' ? new Set() : handlerEntries(root);
    if (!forbidden && entries.size === 0) return {};

    function check(specNode) {
      const spec = staticString(specNode);
      if (spec === null) return;
      if (spec.startsWith('.')) {
        const targetRel = relOf(resolveModule(path.resolve(path.dirname(context.filename), spec)));
        if (targetRel.startsWith('..')) return;
        const to = layerOf(targetRel);
        if (forbidden?.layers.includes(to)) {
          context.report({ node: specNode, messageId: 'layer', data: { from, to, source: spec, why: WHY[to] } });
          return;
        }
        if (entries.has(stripExt(targetRel)) && from !== 'index') {
          context.report({ node: specNode, messageId: 'handler', data: { source: spec, why: WHY.handler } });
        }
        return;
      }
      if (forbidden?.packages.some((prefix) => spec.startsWith(prefix))) {
        context.report({ node: specNode, messageId: 'package', data: { from, source: spec, why: WHY.package } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => node.source && check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportEqualsDeclaration: (node) => node.moduleReference.type === 'TSExternalModuleReference' && check(node.moduleReference.expression),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && (node.callee.name === 'require' || node.callee.name === 'import')) check(node.arguments[0]);
        if (node.callee.type === 'MemberExpression' && node.callee.object.name === 'jest' && node.callee.property.name === 'mock') check(node.arguments[0]);
      },
    };
  },
};

export default { rules: { 'layer-boundaries': layerBoundaries } };
