// Builds the issue panel for the local sandbox (`npm start`) into static/issue-panel/build-sandbox:
// the same app, with @forge/bridge and @forge/jira-bridge replaced by the sandbox's shim
// (src/sandbox/bridge), which talks to the sandbox over HTTP instead of to Jira's host frame.
// The sandbox serves this build at /sandbox/custom-ui/issue-panel/. Never deploy it.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import forgeConfig from './vite.config.mts';

const shim = (file: string): string => fileURLToPath(new URL(`../../src/sandbox/bridge/${file}`, import.meta.url));

export default mergeConfig(
  forgeConfig,
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
