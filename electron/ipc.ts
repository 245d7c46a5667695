import { ipcMain, type WebContents } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/wire';
import type { Engine } from './engine';
import { createRouter } from './router';

/** The one place the contract meets Electron IPC: every call goes through the validating router. */
export function wireIpc(engine: Engine, contents: () => WebContents | undefined, trustedUrl: (url: string) => boolean) {
  const route = createRouter(engine.handlers);
  ipcMain.handle(IPC_CALL_CHANNEL, (event, op: unknown, payload: unknown) => {
    // Only our own page may call in; a navigated-away or injected frame gets nothing.
    if (!event.senderFrame || !trustedUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'caller is not the DeepTriage window' } };
    }
    return route(op, payload);
  });
  const unsubscribe = engine.events.subscribe((name, payload) => {
    const wc = contents();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL_CHANNEL);
  };
}
