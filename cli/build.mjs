/*
 * `npm run build:cli`: bundles cli/main.ts and the src/ modules it uses, with zod and date-fns, into
 * cli/dist (the publishable `cc81` package's output; bin/cc81.js runs it too). One CommonJS entry
 * plus a lazily loaded chunk for the subcommands, so `--help` loads neither zod nor the domain.
 * Only node: built-ins stay external: the package has no run-time dependencies.
 * Refuses to bundle @forge/*, sandbox/ or src/forge/, and writes dist/modules.json (every bundled
 * module, by chunk) and dist/THIRD-PARTY-LICENSES.txt (the licences of the bundled packages).
 */
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const CLI = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(CLI);
const OUT = join(CLI, 'dist');
const FORBIDDEN = [/[\\/]node_modules[\\/]@forge[\\/]/, /^@forge\//, new RegExp(`^${ROOT}[\\\\/](sandbox|src[\\\\/]forge)[\\\\/]`)];

const guard = {
  name: 'cc81-cli-guard',
  resolveId: {
    order: 'post',
    handler(source, importer) {
      if (FORBIDDEN.some((re) => re.test(source))) this.error(`the CLI must not import ${source} (from ${importer})`);
      return null;
    },
  },
  load(id) {
    if (FORBIDDEN.some((re) => re.test(id))) this.error(`the CLI must not bundle ${id}`);
    return null;
  },
};

const packageOf = (id) => {
  const parts = relative(ROOT, id).split(sep);
  const at = parts.indexOf('node_modules');
  if (at < 0) return null;
  const name = parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return { name, dir: join(ROOT, ...parts.slice(0, at + 1), ...name.split('/')) };
};

const licenceOf = (dir) => ['LICENSE', 'LICENSE.md', 'license', 'LICENCE'].map((f) => join(dir, f)).find((f) => existsSync(f));

const started = performance.now();
rmSync(OUT, { recursive: true, force: true });
const { output } = await build({
  input: join(CLI, 'main.ts'),
  platform: 'node',
  tsconfig: join(ROOT, 'tsconfig.cli.json'),
  external: [/^node:/],
  plugins: [guard],
  transform: { target: 'node20' },
  output: {
    dir: OUT,
    format: 'cjs',
    entryFileNames: 'cc81.cjs',
    chunkFileNames: '[name].cjs',
    banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
  },
});

const modules = {};
const packages = new Map();
for (const chunk of output.filter((o) => o.type === 'chunk')) {
  modules[chunk.fileName] = chunk.moduleIds.filter((id) => !id.startsWith('\0')).map((id) => relative(ROOT, id).split(sep).join('/'));
  for (const id of chunk.moduleIds) {
    const pkg = packageOf(id);
    if (pkg) packages.set(pkg.name, pkg.dir);
  }
}
writeFileSync(join(OUT, 'modules.json'), `${JSON.stringify(modules, null, 2)}\n`);
const notices = [...packages].sort().map(([name, dir]) => {
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = licenceOf(dir);
  return `${name}@${version} (${license})\n\n${file ? readFileSync(file, 'utf8').trim() : '(no licence file)'}\n`;
});
writeFileSync(join(OUT, 'THIRD-PARTY-LICENSES.txt'), `The cc81 bundle includes these packages:\n\n${notices.join('\n---\n\n')}`);
const files = Object.keys(modules).join(', ');
process.stderr.write(`cc81: built ${files} in ${relative(ROOT, OUT)} (${Object.values(modules).flat().length} modules, bundled packages: ${[...packages.keys()].sort().join(', ')}) in ${Math.round(performance.now() - started)} ms\n`);
