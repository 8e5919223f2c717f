/*
 * Jest transform for the issue panel's component tests (*.tsx): TypeScript's transpileModule with
 * JSX (react-jsx) to CommonJS. Type checking is `tsc -p test/static/issue-panel/tsconfig.json`.
 * (A second ts-jest transform with its own tsconfig shares ts-jest's per-worker config cache with
 * the `.ts` one, so JSX was sometimes left untransformed when both ran in one worker.)
 */
const { createHash } = require('node:crypto');
const ts = require('typescript');

const COMPILER_OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  jsx: ts.JsxEmit.ReactJSX,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: filename });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(ts.version).update(JSON.stringify(COMPILER_OPTIONS)).update(filename).update(source).digest('hex');
  },
};
