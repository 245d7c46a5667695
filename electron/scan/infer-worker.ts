// Worker-thread entry of one scan inference worker (see infer-pool.ts). Bundled builds ship it as scan-infer.js.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../compute/backend';
import { onnxScorer, openScorer } from '../onnx/scorer';
import type { FromInfer, InferInit, ToInfer } from './infer-protocol';

const init = workerData as InferInit;
const port = parentPort!;
const send = (m: FromInfer, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  // A model already converted to ONNX needs no tf.js here: that keeps its wasm heap out of every worker.
  const scorer = init.onnx ? await onnxScorer(init.onnx) : await selectBackend(init.backend).then(() => openScorer(init.runDir, init.backend));
  // One batch at a time: the pool keeps at most two queued per worker, so memory stays bounded.
  let chain = Promise.resolve();
  port.on('message', (m: ToInfer) => {
    if (m.type === 'close') {
      // Native sessions must be released before the thread ends: terminating a worker that still holds one
      // aborts the whole process (onnxruntime-node's finalizer throws during teardown).
      chain = chain.then(async () => {
        await scorer.dispose();
        port.close();
      });
      return;
    }
    chain = chain.then(async () => {
      try {
        const proba = await scorer.predict(m.x, m.rows);
        send({ type: 'predicted', id: m.id, proba }, [proba.buffer as ArrayBuffer]);
      } catch (e) {
        send({ type: 'error', message: (e as Error)?.stack ?? String(e) });
      }
    });
  });
  send({ type: 'ready', engine: scorer.engine });
} catch (e) {
  send({ type: 'error', message: (e as Error)?.stack ?? String(e) });
}
