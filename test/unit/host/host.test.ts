import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../../../electron/engine';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { tempDir } from '../../helpers/temp';

let engine: Engine;
let host: RunningHost;
let base: string;

// A tiny stand-in renderer build: the host's behaviour, not the app, is under test here.
const renderer = tempDir();
const workspaceDir = tempDir();

before(async () => {
  fs.writeFileSync(path.join(renderer, 'index.html'), '<html><head><title>t</title></head><body>hi</body></html>');
  fs.mkdirSync(path.join(renderer, 'assets'));
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  engine = createEngine({ workspaceDir, transport: 'host' });
  host = await startHost({ engine, rendererDir: renderer });
  base = `http://127.0.0.1:${host.port}`;
});
after(async () => {
  await host.close();
  await engine.close();
});

function openSocket(query: string, origin: string | undefined): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({}));
  });
}

function rpc(ws: WebSocket, msg: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on('message', function onMsg(raw) {
      const m = JSON.parse(raw.toString());
      if (m.type === 'result') {
        ws.off('message', onMsg);
        resolve(m);
      }
    });
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

test('binds to loopback only and prints a URL with the token', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
});

test('the page needs the token; with it the page gets the token meta, a strict cookie and a CSP', async () => {
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/?token=wrong`)).status, 401);
  assert.equal((await fetch(`${base}/assets/app.js`)).status, 401);
  const ok = await fetch(host.url);
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), new RegExp(`<meta name="deeptriage-token" content="${host.token}">`));
  assert.match(ok.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
  assert.match(ok.headers.get('content-security-policy') ?? '', /default-src 'self'.*object-src 'none'/);
  const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie: `deeptriage_token=${host.token}` } });
  assert.equal(asset.status, 200);
  assert.equal((await fetch(`${base}/../../etc/passwd?token=${host.token}`)).status, 404);
});

test('a foreign Host header (DNS rebinding) is refused', async () => {
  const http = await import('node:http');
  const status = await new Promise<number>((resolve) => {
    http.get({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: `evil.example:${host.port}` } }, (res) =>
      resolve(res.statusCode ?? 0),
    );
  });
  assert.equal(status, 403);
});

test('the socket refuses a wrong token and a foreign Origin', async () => {
  const own = `http://127.0.0.1:${host.port}`;
  assert.equal((await openSocket('?token=nope', own)).status, 401);
  assert.equal((await openSocket('', own)).status, 401);
  assert.equal((await openSocket(`?token=${host.token}`, 'http://evil.example')).status, 403);
  assert.equal((await openSocket(`?token=${host.token}`, `http://127.0.0.1:${host.port + 1}`)).status, 403);
  assert.equal((await openSocket(`?token=${host.token}`, undefined)).status, 403);
});

test('with the token and our Origin, the contract works over the socket and bad messages get typed errors', async () => {
  const { ws } = await openSocket(`?token=${host.token}`, `http://127.0.0.1:${host.port}`);
  assert.ok(ws);
  const info = (await rpc(ws!, { type: 'call', id: 1, op: 'app.info', payload: {} })) as {
    id: number;
    result: { ok: boolean; value: { transport: string } };
  };
  assert.equal(info.id, 1);
  assert.equal(info.result.ok, true);
  assert.equal(info.result.value.transport, 'host');
  const bad = (await rpc(ws!, { type: 'call', id: 2, op: 'jobs.cancel', payload: { jobId: 3 } })) as {
    result: { ok: boolean; error: { code: string } };
  };
  assert.equal(bad.result.error.code, 'INVALID_PAYLOAD');
  const garbage = (await rpc(ws!, 'not json')) as { id: number; result: { error: { code: string } } };
  assert.equal(garbage.id, -1);
  assert.equal(garbage.result.error.code, 'INVALID_PAYLOAD');
  // Still alive after garbage.
  const again = (await rpc(ws!, { type: 'call', id: 3, op: 'models.list', payload: {} })) as { result: { ok: boolean; value: unknown[] } };
  assert.equal(again.result.ok, true);
  assert.ok(again.result.value.length >= 19);
  ws!.close();
});

test('job events reach connected sockets', async () => {
  const { ws } = await openSocket(`?token=${host.token}`, `http://127.0.0.1:${host.port}`);
  const seen: string[] = [];
  ws!.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.type === 'event' && m.name === 'job.updated') seen.push(m.payload.status);
  });
  const started = (await rpc(ws!, { type: 'call', id: 1, op: 'compute.benchmark', payload: { size: 32, repeats: 2 } })) as {
    result: { value: { jobId: string } };
  };
  await engine.jobs.wait(started.result.value.jobId);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(seen.slice(-2), ['running', 'done']);
  ws!.close();
});
