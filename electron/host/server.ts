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
  HOST_MAX_MESSAGE_BYTES,
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
  /** Largest file a browser may upload; default DEEPTRIAGE_MAX_UPLOAD_BYTES or 4 GiB. */
  maxUploadBytes?: number;
  /** Largest socket message answered normally; default HOST_MAX_MESSAGE_BYTES. */
  maxMessageBytes?: number;
  /** Where a client's broken connection is reported (default: one line on stderr); it never stops the host. */
  onClientError?: (where: string, err: Error) => void;
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

const DEFAULT_MAX_UPLOAD = 4 * 1024 ** 3;

export function defaultMaxUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DEEPTRIAGE_MAX_UPLOAD_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_UPLOAD;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`DEEPTRIAGE_MAX_UPLOAD_BYTES must be a positive integer, got '${raw}'`);
  return n;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A path with broken percent-encoding is the client's mistake (400), not ours (500). */
function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, `bad percent-encoding in path '${pathname.slice(0, 200)}'`);
  }
}

function parseRequestUrl(req: IncomingMessage, port: number): URL {
  try {
    return new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  } catch {
    throw new HttpError(400, 'malformed request URL');
  }
}

/**
 * Serves the built renderer and carries the contract over a WebSocket, so a browser on this machine gets
 * the same workbench as the Electron window. Loopback only, one token per launch, Origin and Host checked.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? newToken();
  const maxUploadBytes = opts.maxUploadBytes ?? defaultMaxUploadBytes();
  const maxMessageBytes = opts.maxMessageBytes ?? HOST_MAX_MESSAGE_BYTES;
  const clientError =
    opts.onClientError ?? ((where: string, err: Error) => console.error(`deeptriage host: ${where}: ${err.message}`));
  const router = createRouter(opts.engine.handlers);
  const rendererDir = path.resolve(opts.rendererDir);
  const indexPath = path.join(rendererDir, 'index.html');
  if (!fs.existsSync(indexPath)) {
    throw new Error(`renderer build not found at ${indexPath}; run 'npm run build' first`);
  }
  let port = 0;

  const server = http.createServer((req, res) => {
    // A client that resets mid-request must not surface as an unhandled 'error' event.
    req.on('error', (err) => clientError('request', err));
    res.on('error', (err) => clientError('response', err));
    try {
      handleHttp(req, res);
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return send(res, err.status, 'text/plain; charset=utf-8', err.message);
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(err as Error).message}`);
    }
  });
  // Malformed HTTP (bad request line, oversized headers, a reset): answer 400 where the socket still can.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('error', (err) => clientError('server', err));

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
    const url = parseRequestUrl(req, port);
    if (req.method === 'POST' && url.pathname === HOST_UPLOAD_PATH) return handleUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    const queryToken = url.searchParams.get(HOST_TOKEN_PARAM);
    const authorised = tokensEqual(queryToken, token) || tokensEqual(cookieToken(req), token);
    if (!authorised) {
      return send(res, 401, 'text/plain; charset=utf-8', 'DeepTriage: open the URL printed at start-up (it carries the access token).');
    }
    const rel = decodePath(url.pathname);
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
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxUploadBytes) {
      return refuseUpload(res, tooLarge(declared));
    }
    const name = (url.searchParams.get('name') ?? 'upload').replace(/[^A-Za-z0-9._+-]/g, '_').slice(-120) || 'upload';
    const dir = path.join(opts.engine.workspace.dir, 'uploads');
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, `${newId('up')}-${name}`);
    const out = fs.createWriteStream(target, { flags: 'wx' });
    let received = 0;
    let failed = false;
    const fail = (status: number, message: string) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      fs.rmSync(target, { force: true });
      if (!res.headersSent) refuseUpload(res, new HttpError(status, message));
    };
    // Counted as it streams: a chunked upload has no Content-Length to check up front.
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxUploadBytes) fail(413, tooLarge(received).message);
    });
    req.on('error', (err) => fail(400, `upload failed: ${err.message}`));
    req.on('aborted', () => fail(400, 'upload aborted by the client'));
    out.on('error', (err) => fail(500, `upload failed: ${err.message}`));
    out.on('finish', () => {
      if (!failed) send(res, 200, 'application/json', JSON.stringify({ path: target, bytes: out.bytesWritten }));
    });
    req.pipe(out);
  }

  function tooLarge(bytes: number): HttpError {
    return new HttpError(
      413,
      `upload too large: ${bytes} bytes is over the ${maxUploadBytes}-byte limit (set DEEPTRIAGE_MAX_UPLOAD_BYTES, or import the file by path)`,
    );
  }

  /** The rest of the body is not read: closing the connection stops the client from sending it. */
  function refuseUpload(res: ServerResponse, err: HttpError) {
    send(res, err.status, 'text/plain; charset=utf-8', err.message, { Connection: 'close' });
    res.once('finish', () => res.socket?.destroy());
  }

  // A frame up to twice the message limit is still read so the client gets a typed error for it; beyond that
  // ws stops reading and closes with 1009 (message too big), which bounds what one client can make us buffer.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * maxMessageBytes });
  wss.on('error', (err) => clientError('socket server', err));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (err) => clientError('upgrade', err));
    let url: URL;
    try {
      url = parseRequestUrl(req, port);
    } catch {
      socket.destroy();
      return;
    }
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
      // The callback swallows a write to a socket that closed in between; the close handler cleans up.
      if (ws.readyState !== ws.OPEN) return;
      let text: string;
      try {
        text = JSON.stringify(m);
      } catch (err) {
        if (m.type !== 'result') return clientError('event', err as Error);
        text = JSON.stringify({ type: 'result', id: m.id, result: { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } } });
      }
      ws.send(text, (err) => err && clientError('socket send', err));
    };
    const unsubscribe = opts.engine.events.subscribe((name, payload) => sendMsg({ type: 'event', name, payload }));
    ws.on('close', unsubscribe);
    // Invalid UTF-8, a frame over MAX_SOCKET_FRAME, a reset: ws closes this socket (1007 / 1009 / 1006); without
    // a listener the 'error' event would be unhandled and take the whole host down.
    ws.on('error', (err) => clientError('socket', err));
    // Without a valid id there is nobody to answer; tell the client through an id of -1.
    const refuse = (message: string) =>
      sendMsg({ type: 'result', id: -1, result: { ok: false, error: { code: 'INVALID_PAYLOAD', message } } });
    ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as Buffer);
      if (bytes.length > maxMessageBytes) {
        return refuse(`socket message of ${bytes.length} bytes is over the ${maxMessageBytes}-byte limit`);
      }
      let parsed;
      try {
        parsed = SocketClientMessageSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) return refuse('malformed socket message');
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
