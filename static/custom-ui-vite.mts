// Shared Vite settings for every Custom UI app under static/ (Vite 8 transforms JSX itself: no React plugin).
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type UserConfig } from 'vite';

/** The Forge build of the app in `appDir`, to `<appDir>/build` (the manifest's resource path). */
export const customUiConfig = (appDir: string): UserConfig =>
  defineConfig({
    root: appDir,
    // Relative asset URLs: Forge serves the build from its own path inside an iframe.
    base: './',
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    build: {
      outDir: 'build',
      emptyOutDir: true,
      // Forge's CSP forbids inline scripts; keep every asset a file.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
    },
  });

const shim = (file: string): string => fileURLToPath(new URL(`../sandbox/bridge/${file}`, import.meta.url));

/**
 * The same app for the local sandbox (`npm start`), into `<appDir>/build-sandbox`: @forge/bridge and
 * @forge/jira-bridge are replaced by the sandbox's shim, which talks to the sandbox over HTTP. Never deploy it.
 */
export const sandboxConfig = (appDir: string): UserConfig =>
  mergeConfig(
    customUiConfig(appDir),
    defineConfig({
      resolve: {
        alias: [
          { find: /^@forge\/bridge$/, replacement: shim('forge-bridge.ts') },
          { find: /^@forge\/jira-bridge$/, replacement: shim('jira-bridge.ts') },
        ],
      },
      build: { outDir: 'build-sandbox', emptyOutDir: true },
    }),
  );
