/**
 * A tiny HTTP server over router-style handlers, tried in order (the first non-null response wins,
 * as main composes pages then the REST router). For tests: it listens on 127.0.0.1, port 0 by default.
 * String bodies are written as they are; other bodies as JSON; `undefined` as no body.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouterRequest, RouterResponse } from '../../../sandbox/workflow/workflow-port';

export type RouteHandler = (request: RouterRequest) => Promise<RouterResponse | null>;

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const send = (res: ServerResponse, response: RouterResponse): void => {
  const headers = { ...response.headers };
  let payload: string | undefined;
  if (typeof response.body === 'string') payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
};

export const startSandboxHttpServer = async (handlers: RouteHandler[], options: { host?: string; port?: number } = {}): Promise<RunningServer> => {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://sandbox.local');
        const text = await readBody(req);
        let body: unknown = undefined;
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            send(res, { status: 400, headers: {}, body: { errorMessages: ['The request body is not valid JSON.'], errors: {} } });
            return;
          }
        }
        const request: RouterRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          query: Object.fromEntries(url.searchParams.entries()),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v])),
          body,
        };
        for (const handler of handlers) {
          const response = await handler(request);
          if (response) {
            send(res, response);
            return;
          }
        }
        send(res, { status: 404, headers: {}, body: { errorMessages: [`Nothing at ${request.method} ${request.path}`], errors: {} } });
      } catch (error) {
        send(res, { status: 500, headers: {}, body: { errorMessages: [error instanceof Error ? error.message : String(error)], errors: {} } });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
