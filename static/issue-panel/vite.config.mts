// Builds the issue panel to static/issue-panel/build (the manifest's resource path).
// Vite 8 transforms JSX itself (Oxc): no React plugin, automatic runtime.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: Forge serves the build from its own path inside an iframe.
  base: './',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: 'build',
    emptyOutDir: true,
    // Forge's CSP forbids inline scripts; keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
