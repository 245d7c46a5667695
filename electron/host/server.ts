import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  HOST_SOCKET_PATH,
  HOST_TOKEN_COOKIE,
  HOST_TOKEN_HEADER,
  HOST_TOKEN_PARAM,
  HOST_UPLOAD_PATH,
  SocketClientMessageSchema,
  type SocketServerMessage,
} from '../../shared/wire';
import type { Engine } from '../engine';
import { newId } from '../ids';
import { createRouter } from '../router';
import { allowedOrigins, contentSecurityPolicy, cookieToken, hostAllowed, newToken, tokensEqual } from './security';

export interface HostOptions {
  engine: Engine;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

const MAX_SOCKET_MESSAGE = 16 * 1024 * 1024;

/**
 * Serves the built renderer and carries the contract over a WebSocket, so a browser on this machine gets
 * the same workbench as the Electron window. Loopback only, one token per launch, Origin and Host checked.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? newToken();
  const router = createRouter(opts.engine.handlers);
  const rendererDir = path.resolve(opts.rendererDir);
  const indexPath = path.join(rendererDir, 'index.html');
  if (!fs.existsSync(indexPath)) {
    throw new Error(`renderer build not found at ${indexPath}; run 'npm run build' first`);
  }
  let port = 0;

  const server = http.createServer((req, res) => {
    try {
      handleHttp(req, res);
    } catch (err) {
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(err as Error).message}`);
    }
  });

  function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  }

  function handleHttp(req: IncomingMessage, res: ServerResponse) {
    if (!hostAllowed(req, port)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST' && url.pathname === HOST_UPLOAD_PATH) return handleUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    const queryToken = url.searchParams.get(HOST_TOKEN_PARAM);
    const authorised = tokensEqual(queryToken, token) || tokensEqual(cookieToken(req), token);
    if (!authorised) {
      return send(res, 401, 'text/plain; charset=utf-8', 'DeepTriage: open the URL printed at start-up (it carries the access token).');
    }
    const rel = decodeURIComponent(url.pathname);
    const file = rel === '/' || rel === '/index.html' ? indexPath : path.join(rendererDir, path.normalize(rel));
    if (!file.startsWith(rendererDir + path.sep) && file !== indexPath) return send(res, 404, 'text/plain', 'not found');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return send(res, 404, 'text/plain', 'not found');
    const extra: Record<string, string> = {
      // The cookie lets the page's own assets load without the token in every URL; Strict keeps other sites out.
      'Set-Cookie': `${HOST_TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    };
    let body: Buffer | string = fs.readFileSync(file);
    if (file === indexPath) {
      body = body.toString('utf8').replace('</head>', `<meta name="deeptriage-token" content="${token}"></head>`);
    }
    send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', body, extra);
  }

  /**
   * A browser cannot hand us a file path, so a dropped file is streamed into the workspace's uploads folder
   * and imported from there. The token must come in a header, which a cross-site form cannot set.
   */
  function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins(port).has(origin)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden origin');
    const given = req.headers[HOST_TOKEN_HEADER];
    if (!tokensEqual(Array.isArray(given) ? given[0] : given, token)) return send(res, 401, 'text/plain; charset=utf-8', 'unauthorized');
    const name = (url.searchParams.get('name') ?? 'upload').replace(/[^A-Za-z0-9._+-]/g, '_').slice(-120) || 'upload';
    const dir = path.join(opts.engine.workspace.dir, 'uploads');
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, `${newId('up')}-${name}`);
    const out = fs.createWriteStream(target, { flags: 'wx' });
    const fail = (err: Error) => {
      out.destroy();
      fs.rmSync(target, { force: true });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `upload failed: ${err.message}`);
    };
    req.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => send(res, 200, 'application/json', JSON.stringify({ path: target, bytes: out.bytesWritten })));
    req.pipe(out);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const refuse = (status: number, why: string) => {
      socket.write(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== HOST_SOCKET_PATH) return refuse(404, 'Not Found');
    if (!hostAllowed(req, port)) return refuse(403, 'Forbidden');
    if (!origin || !allowedOrigins(port).has(origin)) return refuse(403, 'Forbidden');
    if (!tokensEqual(url.searchParams.get(HOST_TOKEN_PARAM), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket) {
    const sendMsg = (m: SocketServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const unsubscribe = opts.engine.events.subscribe((name, payload) => sendMsg({ type: 'event', name, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (raw) => {
      let parsed;
      try {
        parsed = SocketClientMessageSchema.safeParse(JSON.parse(raw.toString()));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        // Without a valid id there is nobody to answer; tell the client through an id of -1.
        sendMsg({
          type: 'result',
          id: -1,
          result: { ok: false, error: { code: 'INVALID_PAYLOAD', message: 'malformed socket message' } },
        });
        return;
      }
      const { id, op, payload } = parsed.data;
      void router(op, payload).then((result) => sendMsg({ type: 'result', id, result }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?${HOST_TOKEN_PARAM}=${token}`,
    port,
    token,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
