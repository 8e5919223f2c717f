// bench:bundle: the backend bundle as `forge deploy` builds it (@forge/bundler's NodeBundler webpack config,
// run offline from tools/forge), its size against the baseline, and the packages that weigh most.
// Needs `npm run tools:forge`. Size is deterministic: one build, no median needed.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** index.cjs from commit c5e6695 (before the trim), measured with this script. */
const BASELINE = { bytes: 2_273_905, commit: 'c5e6695' };

type WebpackModule = { name?: string; size?: number; modules?: WebpackModule[] };
type Stats = { hasErrors(): boolean; toJson(o: object): { modules?: WebpackModule[] } };
type Compiler = { run(cb: (err: Error | null, stats?: Stats) => void): void; close(cb: () => void): void };
type Config = { output: { path: string; filename: string }; entry: Record<string, string> };
type ForgeBundler = {
  getNodeBundler(logger: object, wrapper: object, configReader: object, statsig: object): { getBundler(): Promise<{ getConfigs(args: object): Promise<Config[]> }> };
  getEntryPoints(handlers: { module: string }[]): { name: string; path: string }[];
  getCompiler(config: Config): Compiler;
  handleWebpackCompilationResult(logger: object, err: Error | null, stats?: Stats): void;
};

const toolsRequire = createRequire(path.join(ROOT, 'tools', 'forge', 'package.json'));
const load = (): ForgeBundler => {
  try {
    return toolsRequire('@forge/bundler') as ForgeBundler;
  } catch {
    throw new Error('bench:bundle needs Forge\'s bundler: run `npm run tools:forge` first');
  }
};

const quiet = { info: () => undefined, debug: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

/** The package (or app folder) a webpack module name belongs to. */
const owner = (name: string): string => {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?/.exec(name);
  if (nm) {
    const [, pkg, rest = ''] = nm;
    const sub = /^\/(v4\/(?:locales|core|classic|mini)|locales|v3)\//.exec(rest) ?? /^\/([^/]+)\//.exec(rest);
    return pkg === 'zod' && sub ? `zod/${sub[1]}` : (pkg ?? name);
  }
  const src = /^\.\/(src\/[^/]+)/.exec(name);
  return src?.[1] ?? name;
};

const flatten = (mods: WebpackModule[]): WebpackModule[] => mods.flatMap((m) => (m.modules ? flatten(m.modules) : [m]));

async function main(): Promise<void> {
  const forge = load();
  const manifest = readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8');
  const handlers = [...manifest.matchAll(/handler:\s*([\w-]+)\.\w+/g)].map((m) => ({ module: m[1] ?? '' }));
  process.chdir(ROOT); // Forge resolves entry points (src/<module>) and tsconfig.json from the app directory
  const entryPoints = forge.getEntryPoints(handlers);
  // Not `app.package.bundler`: the webpack NodeBundler, as deploy picks it. Its runtime wrapper is not part of the bundle.
  const wrapper = { getNodeRuntimeWrapper: async () => ({ script: '', version: 'bench' }), getNodeRuntimeLoader: async () => undefined };
  const node = await forge.getNodeBundler(quiet, wrapper, { readConfig: async () => ({ app: {} }) }, {}).getBundler();
  const [config] = await node.getConfigs({ appDirectory: ROOT, entryPoints });
  if (!config) throw new Error('no webpack config');
  const out = mkdtempSync(path.join(tmpdir(), 'cc81-bundle-'));
  config.output.path = out;
  const started = performance.now();
  const stats = await new Promise<Stats | undefined>((resolve, reject) => {
    const compiler = forge.getCompiler(config);
    compiler.run((err, s) => {
      try {
        forge.handleWebpackCompilationResult(quiet, err, s);
        compiler.close(() => resolve(s));
      } catch (e) {
        reject(e);
      }
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const files = Object.keys(config.entry).map((name) => path.join(out, `${name}.cjs`));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const byOwner = new Map<string, number>();
  for (const m of flatten(stats?.toJson({ modules: true }).modules ?? [])) {
    if (m.name && m.size) byOwner.set(owner(m.name), (byOwner.get(owner(m.name)) ?? 0) + m.size);
  }
  rmSync(out, { recursive: true, force: true });

  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(2)} MB`;
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} KB`;
  console.log(`backend bundle (${entryPoints.map((e) => `${e.name}.cjs`).join(', ')}, @forge/bundler webpack, unminified as deployed): ${mb(bytes)} (${bytes} bytes), built in ${seconds.toFixed(1)} s`);
  if (BASELINE.bytes > 0) console.log(`baseline (${BASELINE.commit}): ${mb(BASELINE.bytes)}; now/baseline = ${(bytes / BASELINE.bytes).toFixed(2)}x`);
  console.log('top contributors (module source bytes):');
  for (const [name, size] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${kb(size).padStart(9)}  ${name}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
