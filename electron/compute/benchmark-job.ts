import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { BenchmarkResult } from '../../shared/domain';
import type { JobHandler } from '../jobs/context';

const Input = z.object({ size: z.number().int(), repeats: z.number().int() });

/** Square matmuls on the active backend: tells the analyst what this machine's backend delivers. */
export const benchmarkJob: JobHandler = async (raw, ctx) => {
  const { size, repeats } = Input.parse(raw);
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  const t0 = performance.now();
  try {
    for (let i = 0; i < repeats; i++) {
      ctx.throwIfCancelled();
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      const elapsed = performance.now() - t0;
      const done = i + 1;
      ctx.progress({
        fraction: done / repeats,
        message: `matmul ${done}/${repeats}`,
        metrics: { done, gflops: (2 * size ** 3 * done) / (elapsed * 1e6) },
        etaSeconds: ((elapsed / done) * (repeats - done)) / 1000,
      });
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  const millis = performance.now() - t0;
  const result: BenchmarkResult = {
    backend: ctx.backend?.name ?? tf.getBackend(),
    size,
    repeats,
    millis,
    gflops: (2 * size ** 3 * repeats) / (millis * 1e6),
  };
  return result;
};
