/**
 * Serving a Custom UI app's sandbox build (static/<app>/build-sandbox) under its path prefix, as
 * Forge's CDN serves the deployed build: the build's own files only, never outside its folder, no
 * caching, the Custom UI CSP on HTML. Shared by the rule config page, issue panel and admin page hosts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';

export const CUSTOM_UI_CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const noStore = (extra: Record<string, string> = {}): Record<string, string> => ({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });

/** A request header, case-insensitively. */
export const headerOf = (request: RouterRequest, name: string): string | undefined =>
  Object.entries(request.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

export interface CustomUiBuild {
  /** The build folder (absolute or relative to the working directory). */
  dir: string;
  /** The URL prefix it is served under, ending in `/`. */
  prefix: string;
  /** The app in words, for messages: "the issue panel". */
  what: string;
  /** How to build it, said when the build is missing. */
  buildCommand: string;
  csp: string;
}

const text = (status: number, body: string): RouterResponse => ({ status, headers: noStore({ 'Content-Type': 'text/plain; charset=utf-8' }), body });

/** Answers `GET <prefix><file>` from the build: 503 (with the build command) when it is missing, 404 outside it. */
export const serveCustomUiFile = (build: CustomUiBuild, path: string): RouterResponse => {
  const dir = resolve(build.dir);
  if (!existsSync(join(dir, 'index.html'))) return text(503, `The sandbox build of ${build.what} is missing (${dir}). Build it with \`${build.buildCommand}\`, then reload.`);
  const relative = decodeURIComponent(path.slice(build.prefix.length)) || 'index.html';
  const file = resolve(dir, relative);
  if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) return text(404, `No file ${relative} in the build of ${build.what}.`);
  const contentType = CUSTOM_UI_CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const extra: Record<string, string> = { 'Content-Type': contentType };
  if (contentType.startsWith('text/html')) Object.assign(extra, { 'Content-Security-Policy': build.csp, 'Referrer-Policy': 'no-referrer' });
  return { status: 200, headers: noStore(extra), body: /^text\/|javascript|json|svg/.test(contentType) ? readFileSync(file, 'utf8') : readFileSync(file) };
};
