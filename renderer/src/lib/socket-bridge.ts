import {
  HOST_SOCKET_PATH,
  HOST_TOKEN_PARAM,
  type Bridge,
  type ResultEnvelope,
  type SocketServerMessage,
} from '../../../shared/wire';

export function pageToken(): string {
  const meta = document.querySelector('meta[name="deeptriage-token"]')?.getAttribute('content');
  return meta ?? new URLSearchParams(location.search).get(HOST_TOKEN_PARAM) ?? '';
}

/**
 * The contract over the localhost host's WebSocket. Calls made while the socket is (re)connecting wait
 * for it; a dropped socket fails the calls in flight and reconnects, because the engine outlives pages.
 */
export function socketBridge(): Bridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${HOST_SOCKET_PATH}?${HOST_TOKEN_PARAM}=${encodeURIComponent(pageToken())}`;
  const pending = new Map<number, (r: ResultEnvelope) => void>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let nextId = 1;
  let socket: WebSocket;
  let ready: Promise<void>;
  let retryMs = 250;

  function connect(): void {
    socket = new WebSocket(url);
    ready = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
    socket.addEventListener('open', () => (retryMs = 250));
    socket.addEventListener('message', (e) => {
      const msg = JSON.parse(String(e.data)) as SocketServerMessage;
      if (msg.type === 'result') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else {
        for (const l of listeners) l(msg.name, msg.payload);
      }
    });
    socket.addEventListener('close', () => {
      for (const [, resolve] of pending) {
        resolve({ ok: false, error: { code: 'INTERNAL', message: 'connection to the DeepTriage engine was lost' } });
      }
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  }
  connect();

  return {
    async call(op, payload) {
      await ready;
      const id = nextId++;
      return new Promise<ResultEnvelope>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'call', id, op, payload }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
