import { CTRL } from './protocol';

/**
 * Blocks until all `parties` replicas arrive (sense-reversing: count + generation in shared memory).
 * Waits in short slices so an abort flag set by the coordinator (a replica crashed) ends the wait.
 */
export function barrier(ctrl: Int32Array, parties: number): void {
  if (parties <= 1) return;
  const gen = Atomics.load(ctrl, CTRL.generation);
  if (Atomics.add(ctrl, CTRL.count, 1) === parties - 1) {
    Atomics.store(ctrl, CTRL.count, 0);
    Atomics.add(ctrl, CTRL.generation, 1);
    Atomics.notify(ctrl, CTRL.generation);
    return;
  }
  while (Atomics.load(ctrl, CTRL.generation) === gen) {
    if (Atomics.load(ctrl, CTRL.abort) !== 0) throw new Error('parallel training aborted (another replica failed)');
    Atomics.wait(ctrl, CTRL.generation, gen, 200);
  }
}
