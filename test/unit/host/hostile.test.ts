// A hostile local client holding the token: random and malformed payloads for every operation of the contract,
// broken frames, oversized messages, abrupt disconnects, bad percent-encoding, oversized uploads. The host
// must answer each with a typed error (or close that one socket) and keep answering everyone else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../../../electron/engine';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { operations, type OpName } from '../../../shared/contract';
import { ErrorCodeSchema } from '../../../shared/errors';
import { HOST_TOKEN_HEADER } from '../../../shared/wire';
import { tempDir } from '../../helpers/temp';

const UPLOAD_LIMIT = 64 * 1024;
// Small, so the oversized cases stay quick; the default (16 MiB) is the same code path.
const MESSAGE_LIMIT = 256 * 1024;
let engine: Engine;
let host: RunningHost;
let base: string;
const clientErrors: string[] = [];
const renderer = tempDir();
const workspaceDir = tempDir();

before(async () => {
  fs.writeFileSync(path.join(renderer, 'index.html'), '<html><head></head><body>hi</body></html>');
  engine = createEngine({ workspaceDir, transport: 'host', maxConcurrentJobs: 1 });
  host = await startHost({
    engine,
    rendererDir: renderer,
    maxUploadBytes: UPLOAD_LIMIT,
    maxMessageBytes: MESSAGE_LIMIT,
    onClientError: (where, err) => clientErrors.push(`${where}: ${err.message}`),
  });
  base = `http://127.0.0.1:${host.port}`;
});
after(async () => {
  await host.close();
  await engine.close();
});

type Answer = { type: 'result'; id: number; result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } };

/** One socket with calls matched to answers by id, and a record of how it closed. */
class Client {
  private pending = new Map<number, (a: Answer) => void>();
  private unmatched: Answer[] = [];
  private waiters: ((a: Answer) => void)[] = [];
  closeCode: number | undefined;
  closed: Promise<number>;
  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve((this.closeCode = code))));
    ws.on('error', () => {}); // the host closing on us is what some cases expect
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as Answer | { type: 'event' };
      if (m.type !== 'result') return;
      const r = this.pending.get(m.id);
      if (r) {
        this.pending.delete(m.id);
        r(m);
      } else if (this.waiters.length) this.waiters.shift()!(m);
      else this.unmatched.push(m);
    });
  }
  static open(): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: base });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }
  call(id: number, op: string, payload: unknown): Promise<Answer> {
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'call', id, op, payload }));
    });
  }
  /** The next answer nobody asked for by id (the host answers unreadable messages with id -1). */
  nextUnmatched(): Promise<Answer> {
    const a = this.unmatched.shift();
    return a ? Promise.resolve(a) : new Promise((resolve) => this.waiters.push(resolve));
  }
}

async function hostAnswers(): Promise<void> {
  const c = await Client.open();
  const a = await c.call(1, 'app.info', {});
  assert.equal(a.result.ok, true);
  c.ws.close();
}

function assertTyped(op: string, payload: unknown, a: Answer): void {
  if (a.result.ok) return;
  const { code, message } = a.result.error;
  assert.ok(ErrorCodeSchema.safeParse(code).success, `${op}: untyped error code ${code}`);
  // INTERNAL means a handler threw on input the router let through: a bug, not a refusal.
  assert.notEqual(code, 'INTERNAL', `${op} ${JSON.stringify(payload)?.slice(0, 300)} → ${message}`);
  assert.ok(message.length > 0);
}

/** The keys an operation's request knows, so random payloads reach past "unknown key" into each field's checks. */
function requestKeys(op: OpName): string[] {
  const schema = operations[op].request as unknown as { shape?: object; def?: { in?: { shape?: object }; innerType?: { shape?: object } } };
  const shape = schema.shape ?? schema.def?.in?.shape ?? schema.def?.innerType?.shape ?? {};
  return Object.keys(shape);
}

const ids = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('run-1', 'ds-1', '../../etc', '', 'x'.repeat(300)));
const values = fc.oneof(fc.jsonValue({ maxDepth: 2 }), ids, fc.array(ids, { maxLength: 3 }), fc.integer(), fc.double());

function payloads(op: OpName) {
  const keys = requestKeys(op);
  const known = keys.length ? fc.dictionary(fc.constantFrom(...keys), values, { maxKeys: keys.length }) : fc.constant({});
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    known,
    // One stray key on an otherwise plausible payload: strict schemas must refuse it.
    known.map((p) => ({ ...p, ['__proto__x']: 1 })),
    fc.constantFrom(null, [], 'x', 0, true, { constructor: { prototype: {} } }),
  );
}

test('every operation answers random and malformed payloads with a typed envelope, never INTERNAL', async () => {
  const c = await Client.open();
  let id = 10;
  const ops = Object.keys(operations) as OpName[];
  for (const op of ops) {
    await fc.assert(
      fc.asyncProperty(payloads(op), async (payload) => {
        const a = await c.call(++id, op, payload);
        assertTyped(op, payload, a);
      }),
      { numRuns: 12, seed: 1313 },
    );
  }
  // Unknown and non-string operation names.
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 2 }), async (op, payload) => {
      fc.pre(!(op in operations));
      const a = await c.call(++id, op, payload);
      assert.equal(a.result.ok, false);
      if (!a.result.ok) assert.equal(a.result.error.code, 'UNKNOWN_OPERATION');
    }),
    { numRuns: 40, seed: 1313 },
  );
  c.ws.close();
  await hostAnswers();
});

test('malformed messages get INVALID_PAYLOAD with id -1 and the socket stays open', async () => {
  const c = await Client.open();
  const garbage = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.record({ type: fc.constantFrom('call', 'result', 'x'), id: fc.oneof(fc.double(), fc.string()), op: fc.jsonValue() }).map((v) => JSON.stringify(v)),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  );
  await fc.assert(
    fc.asyncProperty(garbage, async (msg) => {
      c.ws.send(msg);
      const a = await c.nextUnmatched();
      assert.equal(a.id, -1);
      assert.equal(a.result.ok, false);
      if (!a.result.ok) assert.equal(a.result.error.code, 'INVALID_PAYLOAD');
    }),
    { numRuns: 60, seed: 1313 },
  );
  assert.equal((await c.call(1, 'models.list', {})).result.ok, true);
  c.ws.close();
});

test('a message over the limit gets a typed error; a frame far over it, or invalid UTF-8, closes only that socket', async () => {
  const c = await Client.open();
  c.ws.send('x'.repeat(MESSAGE_LIMIT + 1));
  const a = await c.nextUnmatched();
  assert.equal(a.result.ok, false);
  if (!a.result.ok) {
    assert.equal(a.result.error.code, 'INVALID_PAYLOAD');
    assert.match(a.result.error.message, new RegExp(`${MESSAGE_LIMIT + 1} bytes is over the ${MESSAGE_LIMIT}-byte limit`));
  }
  assert.equal((await c.call(2, 'jobs.list', {})).result.ok, true);

  c.ws.send(Buffer.alloc(3 * MESSAGE_LIMIT, 0x20));
  assert.equal(await c.closed, 1009);

  const d = await Client.open();
  d.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0xff]), { binary: false });
  assert.equal(await d.closed, 1007);

  await hostAnswers();
  assert.ok(clientErrors.some((e) => /Max payload size exceeded/.test(e)), clientErrors.join('\n'));
  assert.ok(clientErrors.some((e) => /UTF-8/i.test(e)), clientErrors.join('\n'));
});

test('abrupt disconnects mid-frame, mid-handshake and mid-call leave the host answering', async () => {
  // Half a masked frame, then a reset.
  const c = await Client.open();
  const raw = (c.ws as unknown as { _socket: net.Socket })._socket;
  raw.write(Buffer.from([0x81, 0xfe, 0x10, 0x00, 1, 2, 3, 4, 5, 6]));
  raw.resetAndDestroy();
  // A call whose answer has nowhere to go.
  const d = await Client.open();
  d.ws.send(JSON.stringify({ type: 'call', id: 1, op: 'backend.info', payload: {} }));
  d.ws.terminate();
  // A handshake cut off half way.
  await new Promise<void>((resolve) => {
    const s = net.connect(host.port, '127.0.0.1', () => {
      s.write(`GET /ws?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\n`);
      s.resetAndDestroy();
      resolve();
    });
  });
  // Garbage instead of HTTP.
  const status = await new Promise<string>((resolve) => {
    const s = net.connect(host.port, '127.0.0.1', () => s.write('\x00\x01 not http\r\n\r\n'));
    let got = '';
    s.on('data', (b) => (got += b.toString()));
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
  });
  assert.match(status, /^HTTP\/1\.1 400/);
  await new Promise((r) => setTimeout(r, 100));
  await hostAnswers();
});

test('bad percent-encoding is a 400, not a 500', async () => {
  for (const p of ['/%E0%A4%A', '/%', '/assets/%ZZ', '/%C0%AF']) {
    const res = await fetch(`${base}${p}?token=${host.token}`);
    assert.equal(res.status, res.status === 404 ? 404 : 400, `${p}: ${res.status}`);
    assert.notEqual(res.status, 500);
  }
  const res = await fetch(`${base}/%E0%A4%A?token=${host.token}`);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /bad percent-encoding/);
});

test('uploads are streamed to disk up to the limit; beyond it a 413 names the limit and nothing is left behind', async () => {
  const uploads = path.join(workspaceDir, 'uploads');
  const post = (body: BodyInit, init: RequestInit = {}) =>
    fetch(`${base}/upload?name=feed.txt`, { method: 'POST', headers: { [HOST_TOKEN_HEADER]: host.token, origin: base }, body, ...init });

  const ok = await post('http://a.example/\n'.repeat(100));
  assert.equal(ok.status, 200);
  const stored = (await ok.json()) as { path: string; bytes: number };
  assert.equal(stored.bytes, 1800);
  assert.equal(fs.readFileSync(stored.path, 'utf8').split('\n')[0], 'http://a.example/');

  // Declared too large: refused before a byte is stored.
  const big = await post(Buffer.alloc(UPLOAD_LIMIT + 1, 0x61));
  assert.equal(big.status, 413);
  assert.match(await big.text(), new RegExp(`${UPLOAD_LIMIT + 1} bytes is over the ${UPLOAD_LIMIT}-byte limit`));

  // Chunked, no Content-Length: counted as it streams.
  const chunks = new ReadableStream({
    start(ctl) {
      for (let i = 0; i < 40; i++) ctl.enqueue(new Uint8Array(4096).fill(0x62));
      ctl.close();
    },
  });
  const streamed = await post(chunks, { duplex: 'half' } as RequestInit).catch((e: Error) => e);
  if (streamed instanceof Error) assert.match(streamed.message, /fetch failed|socket|closed/i);
  else {
    assert.equal(streamed.status, 413);
    assert.match(await streamed.text(), /over the 65536-byte limit/);
  }
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(fs.readdirSync(uploads), [path.basename(stored.path)]);
  await hostAnswers();
});
