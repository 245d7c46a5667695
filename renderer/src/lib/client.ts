import type { EventName, EventPayload, OpName, OpRequest, OpResponse } from '../../../shared/contract';
import { ContractError } from '../../../shared/errors';
import type { Bridge } from '../../../shared/wire';
import { socketBridge } from './socket-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the socket carries the contract. */
    deeptriage?: Bridge;
  }
}

const bridge: Bridge = window.deeptriage ?? socketBridge();

/** Typed calls over whichever transport exists; errors arrive as ContractError with their code. */
export async function call<K extends OpName>(op: K, payload: OpRequest<K>): Promise<OpResponse<K>> {
  const result = await bridge.call(op, payload);
  if (!result.ok) throw ContractError.from(result.error);
  return result.value as OpResponse<K>;
}

export function on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
  return bridge.onEvent((n, p) => {
    if (n === name) listener(p as EventPayload<K>);
  });
}

export const transportName: 'electron' | 'host' = window.deeptriage ? 'electron' : 'host';
