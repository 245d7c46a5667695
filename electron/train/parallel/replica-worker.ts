// Worker-thread entry of one data-parallel replica (see replica.ts). Bundled builds ship it as train-replica.js.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../../compute/kernels/index';
import { CTRL, type FromReplica, type ReplicaInit, type ToReplica } from './protocol';
import { Replica } from './replica';

const init = workerData as ReplicaInit;
const port = parentPort!;
const send = (m: FromReplica) => port.postMessage(m);

function fail(e: unknown): void {
  // Wakes the other replicas out of the barrier so the whole step fails instead of hanging.
  Atomics.store(init.ctrl, CTRL.abort, 1);
  Atomics.notify(init.ctrl, CTRL.generation);
  send({ type: 'error', message: `replica ${init.replica}: ${(e as Error)?.stack ?? String(e)}` });
}

try {
  if (!(await tf.setBackend(init.backend))) throw new Error(`backend '${init.backend}' failed to initialise`);
  if (init.backend === 'wasm') registerWasmKernelFixes();
  const replica = new Replica(init);
  port.on('message', async (m: ToReplica) => {
    try {
      if (m.type === 'step') send({ type: 'stepped', ...replica.step(m.from, m.to) });
      else if (m.type === 'predict') {
        await replica.predict(m.from, m.to, m.batchSize);
        send({ type: 'predicted' });
      } else if (m.type === 'pull') {
        replica.pull();
        send({ type: 'pulled' });
      }
    } catch (e) {
      fail(e);
    }
  });
  send({ type: 'ready' });
} catch (e) {
  fail(e);
}
