/**
 * The sandbox over HTTP (`node:http`): JSON in and out (`Content-Type: application/json;charset=UTF-8`),
 * repeated query parameters joined with commas (as Jira reads `fields=a&fields=b`), a malformed
 * JSON body answered 400 in Jira's shape. Optional `pages` (the browser UI) are tried first; a
 * string (or Buffer) body from them is written as is.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../workflow/workflow-port';
import { INVALID_PAYLOAD } from './jira-responses';
import { INTERNAL_ERROR } from './router';

export type PagesHandler = (request: RouterRequest) => Promise<RouterResponse | null>;

export interface SandboxServerOptions {
  router: SandboxRouter;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  pages?: PagesHandler;
  /** Paths answered from the raw body (web triggers sign the exact bytes), tried first; null: not theirs. */
  raw?: (request: { method: string; path: string; headers: Record<string, string[]>; body: string }) => Promise<RouterResponse | null>;
  /** Larger request bodies are refused with 413 (default 10 MB). */
  maxBodyBytes?: number;
}

export interface SandboxServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const error = (status: number, message: string): RouterResponse => ({ status, headers: {}, body: { errorMessages: [message], errors: {} } });

class BodyTooLarge extends Error {}

const readBody = (req: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const send = (res: ServerResponse, response: RouterResponse): void => {
  const headers: Record<string, string> = { ...response.headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let payload: string | Buffer | undefined;
  if ((typeof response.body === 'string' || Buffer.isBuffer(response.body)) && hasType) {
    payload = response.body;
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    if (!hasType) headers['Content-Type'] = JSON_CONTENT_TYPE;
  }
  res.writeHead(response.status, headers);
  res.end(payload);
};

const toRequest = (req: IncomingMessage, text: string): RouterRequest | RouterResponse => {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name).join(',');
  let body: unknown;
  if (text.trim()) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return error(400, INVALID_PAYLOAD);
    }
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query,
    headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value])),
    body,
  };
};

export const startSandboxServer = async (options: SandboxServerOptions): Promise<SandboxServer> => {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let text: string;
    try {
      text = await readBody(req, limit);
    } catch (cause) {
      send(res, cause instanceof BodyTooLarge ? error(413, `The request body is larger than ${limit} bytes.`) : error(400, INVALID_PAYLOAD));
      return;
    }
    if (options.raw) {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value : value === undefined ? [] : [value]]));
      const answered = await options.raw({ method: (req.method ?? 'GET').toUpperCase(), path: new URL(req.url ?? '/', 'http://sandbox.invalid').pathname, headers, body: text });
      if (answered) {
        send(res, answered);
        return;
      }
    }
    const request = toRequest(req, text);
    if (!('method' in request)) {
      send(res, request);
      return;
    }
    const page = options.pages ? await options.pages(request) : null;
    send(res, page ?? (await options.router(request)));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else send(res, error(500, INTERNAL_ERROR));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((cause) => (cause ? reject(cause) : resolve()));
      }),
  };
};

/** The port `main` listens on: `PORT`, default 8080. */
export const sandboxPort = (env: Record<string, string | undefined>): number => {
  const raw = env.PORT?.trim();
  if (!raw) return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number (0–65535), got '${raw}'.`);
  return port;
};
