// Local ESLint plugin: keeps src/domain a pure, deterministic core.
//
// Rule `cc81/domain-purity` (configured for src/domain/**/*.ts in eslint.config.mjs) reports:
//   * imports / re-exports / require() / import() / `import x = require()` / `import('x').T`
//     whose module is not `zod`, `date-fns`, `date-fns/...`, or a relative path that stays
//     inside the src/domain directory;
//   * clock reads: Date.now, `new Date()` with no arguments, `Date()` called as a function,
//     performance.now (and any other use of the `performance` global);
//   * nondeterministic / I/O globals: Math.random, process, fetch, setTimeout, setInterval,
//     setImmediate, console, require, globalThis, global, crypto.
//
// Globals are detected through scope analysis, so a local variable or parameter that shadows
// one of those names (e.g. a `console` parameter) is not reported.
import path from 'node:path';

const ALLOWED_PACKAGES = ['zod', 'date-fns'];
const ALLOWED_PACKAGE_PREFIXES = ['date-fns/'];

const CLOCK_HINT = 'Domain code must take `now: Date` as an argument instead of reading the clock';

/** Banned globals and what to do instead. */
const BANNED_GLOBALS = {
  process: 'read configuration and environment outside src/domain and pass the values in as arguments',
  fetch: 'do I/O in the adapters (src/forge, src/jira, ...) and pass the results into the domain as data',
  setTimeout: 'scheduling is a side effect; return data and let the caller schedule work',
  setInterval: 'scheduling is a side effect; return data and let the caller schedule work',
  setImmediate: 'scheduling is a side effect; return data and let the caller schedule work',
  console: 'return findings/results as values and let the caller log them',
  require: 'use a static `import` of `zod`, `date-fns` or a module inside src/domain',
  globalThis: 'take what you need as an argument instead of reaching into the global object',
  global: 'take what you need as an argument instead of reaching into the global object',
  crypto: 'take ids or random values as arguments (generate them in the caller)',
};

/** Reference to a global that is not a lookup of one of its properties (those are handled by name). */
const CLOCK_GLOBALS = new Set(['performance']);

function isRelative(spec) {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

function isAllowedPackage(spec) {
  return ALLOWED_PACKAGES.includes(spec) || ALLOWED_PACKAGE_PREFIXES.some((p) => spec.startsWith(p));
}

function isInside(dir, target) {
  const rel = path.relative(dir, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Static name of a member expression's property, or null when it is computed from a non-literal. */
function propertyName(member) {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') {
    return member.property.value;
  }
  if (member.computed && member.property.type === 'TemplateLiteral' && member.property.expressions.length === 0) {
    return member.property.quasis[0].value.cooked;
  }
  return null;
}

/** String value of a module specifier node, or null when it is not a static string. */
function staticString(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const domainPurity = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Keep src/domain pure: no I/O, no clock, no randomness, no imports beyond zod/date-fns/src/domain',
    },
    schema: [
      {
        type: 'object',
        properties: {
          domainDir: { type: 'string', description: 'Absolute path of the domain directory (default: <cwd>/src/domain)' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      forbiddenImport:
        "Domain code may only import `zod`, `date-fns` or modules inside src/domain, not '{{source}}'. " +
        'Keep I/O, Forge and Jira code outside src/domain and pass what the domain needs in as arguments.',
      computedImport:
        'Domain code may only import `zod`, `date-fns` or modules inside src/domain using a static string; ' +
        'use a static `import` instead of a computed module specifier.',
      clock: `${CLOCK_HINT} (found \`{{what}}\`).`,
      random:
        'Domain code must be deterministic: take randomness as an argument (e.g. `random: () => number` or a ' +
        'pre-generated id) instead of calling `Math.random`.',
      bannedGlobal: 'Domain code must not use the global `{{name}}`: {{hint}}.',
    },
  },

  create(context) {
    const options = context.options[0] ?? {};
    const domainDir = path.resolve(options.domainDir ?? path.resolve(context.cwd, 'src/domain'));
    const filename = context.filename;
    const fileDir = path.dirname(filename);
    const sourceCode = context.sourceCode;

    /** Identifier nodes that refer to a global (unresolved or resolved in the global scope). */
    const globalRefs = new Set();

    function checkSpecifier(node, specNode) {
      const spec = staticString(specNode);
      if (spec === null) {
        context.report({ node, messageId: 'computedImport' });
        return;
      }
      if (isAllowedPackage(spec)) return;
      if (isRelative(spec) && isInside(domainDir, path.resolve(fileDir, spec))) return;
      context.report({ node: specNode, messageId: 'forbiddenImport', data: { source: spec } });
    }

    function isGlobal(node) {
      return node && node.type === 'Identifier' && globalRefs.has(node);
    }

    return {
      Program() {
        for (const scope of sourceCode.scopeManager.scopes) {
          for (const ref of scope.references) {
            if (ref.isTypeReference && !ref.isValueReference) continue;
            if (ref.resolved === null || ref.resolved.scope.type === 'global') globalRefs.add(ref.identifier);
          }
        }
        for (const ref of sourceCode.scopeManager.globalScope.through) {
          if (ref.isTypeReference && !ref.isValueReference) continue;
          globalRefs.add(ref.identifier);
        }
        for (const id of globalRefs) {
          if (Object.hasOwn(BANNED_GLOBALS, id.name)) {
            context.report({ node: id, messageId: 'bannedGlobal', data: { name: id.name, hint: BANNED_GLOBALS[id.name] } });
          } else if (CLOCK_GLOBALS.has(id.name)) {
            const parent = id.parent;
            const what =
              parent && parent.type === 'MemberExpression' && parent.object === id && propertyName(parent)
                ? `${id.name}.${propertyName(parent)}`
                : id.name;
            context.report({ node: id, messageId: 'clock', data: { what } });
          }
        }
      },

      // --- module boundaries -------------------------------------------------------------
      ImportDeclaration(node) {
        checkSpecifier(node, node.source);
      },
      ExportNamedDeclaration(node) {
        if (node.source) checkSpecifier(node, node.source);
      },
      ExportAllDeclaration(node) {
        checkSpecifier(node, node.source);
      },
      ImportExpression(node) {
        checkSpecifier(node, node.source);
      },
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference') {
          checkSpecifier(node, node.moduleReference.expression);
        }
      },
      TSImportType(node) {
        const spec = node.source ?? (node.argument && node.argument.type === 'TSLiteralType' ? node.argument.literal : null);
        checkSpecifier(node, spec);
      },
      CallExpression(node) {
        // require('x') — the `require` global itself is reported separately.
        if (isGlobal(node.callee) && node.callee.name === 'require') {
          const [arg] = node.arguments;
          const spec = staticString(arg);
          if (spec !== null && !isAllowedPackage(spec) && !(isRelative(spec) && isInside(domainDir, path.resolve(fileDir, spec)))) {
            context.report({ node: arg, messageId: 'forbiddenImport', data: { source: spec } });
          }
        }
        // Date() called as a function returns the current time as a string.
        if (isGlobal(node.callee) && node.callee.name === 'Date') {
          context.report({ node, messageId: 'clock', data: { what: 'Date()' } });
        }
      },

      // --- clock and randomness ------------------------------------------------------------
      NewExpression(node) {
        if (isGlobal(node.callee) && node.callee.name === 'Date' && node.arguments.length === 0) {
          context.report({ node, messageId: 'clock', data: { what: 'new Date()' } });
        }
      },
      MemberExpression(node) {
        if (!isGlobal(node.object)) return;
        const name = propertyName(node);
        if (node.object.name === 'Date' && name === 'now') {
          context.report({ node, messageId: 'clock', data: { what: 'Date.now' } });
        } else if (node.object.name === 'Math' && name === 'random') {
          context.report({ node, messageId: 'random' });
        }
      },
    };
  },
};

const plugin = {
  meta: { name: 'eslint-plugin-cc81', version: '0.1.0' },
  rules: { 'domain-purity': domainPurity },
};

export default plugin;
