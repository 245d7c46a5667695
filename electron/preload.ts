import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type Bridge, type ResultEnvelope } from '../shared/wire';

/**
 * The renderer's only door to the main process: two functions, no Node, no ipcRenderer.
 * Payloads are validated again on the main side; nothing here is trusted.
 */
const bridge: Bridge = {
  call: (op, payload) => ipcRenderer.invoke(IPC_CALL_CHANNEL, op, payload) as Promise<ResultEnvelope>,
  onEvent(listener) {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('deeptriage', bridge);
