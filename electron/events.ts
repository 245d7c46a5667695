import type { EventName, EventPayload } from '../shared/contract';

export type EventListener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

/** Fan-out of engine events to every connected front door (Electron window, sockets, CLI). */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // A broken listener (a closed socket) must not stop the others or the engine.
      }
    }
  }
}
