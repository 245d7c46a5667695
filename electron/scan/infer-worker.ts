// Worker-thread entry of one scan inference worker (see infer-pool.ts). Bundled builds ship it as scan-infer.js.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../compute/backend';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import type { FromInfer, InferInit, ToInfer } from './infer-protocol';

const init = workerData as InferInit;
const port = parentPort!;
const send = (m: FromInfer, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  await selectBackend(init.backend);
  const model = await deserializeClassifier(readRunModel(init.runDir));
  // One batch at a time: the pool keeps at most two queued per worker, so memory stays bounded.
  let chain = Promise.resolve();
  port.on('message', (m: ToInfer) => {
    chain = chain.then(async () => {
      try {
        const proba = await model.predictProba(m.x, m.rows, { batchSize: m.rows });
        send({ type: 'predicted', id: m.id, proba }, [proba.buffer as ArrayBuffer]);
      } catch (e) {
        send({ type: 'error', message: (e as Error)?.stack ?? String(e) });
      }
    });
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: (e as Error)?.stack ?? String(e) });
}
