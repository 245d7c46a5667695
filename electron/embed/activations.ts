import * as tf from '@tensorflow/tfjs';

export interface LayerVectors {
  /** rows × dims, row-major. */
  vectors: Float32Array;
  dims: number;
  /** Which layer, in words, for the map's caption. */
  layer: string;
}

/** The rows of the first Embedding layer's weight matrix: one learned vector per character id. */
export function charEmbeddings(net: tf.LayersModel): LayerVectors {
  const layer = net.layers.find((l) => l.getClassName() === 'Embedding');
  if (!layer) throw new Error(`model '${net.name}' has no Embedding layer: only character models learn character vectors`);
  const w = layer.getWeights()[0];
  const [vocab, dims] = w.shape as [number, number];
  return { vectors: w.dataSync() as Float32Array, dims, layer: `${layer.name} (${vocab} characters × ${dims} dims)` };
}

/**
 * What the network computes just before its output layer, for each row: the representation the classifier
 * head separates. Batched, every tensor disposed; `tick` runs between batches (progress, cancellation).
 */
export async function lastHiddenActivations(
  net: tf.LayersModel,
  x: Float32Array | Int32Array,
  rows: number,
  tick: (done: number) => void = () => {},
): Promise<LayerVectors> {
  const out = net.outputLayers[0] ?? net.layers[net.layers.length - 1];
  const hidden = out.input;
  if (Array.isArray(hidden)) throw new Error(`the output layer '${out.name}' has several inputs; there is no single last hidden layer`);
  let source = net.layers.find((l) => l.output === hidden) ?? out;
  // Dropout is the identity at inference: name the layer that computed the values.
  while (/dropout/i.test(source.getClassName()) && source.inboundNodes[0]?.inboundLayers.length === 1) source = source.inboundNodes[0].inboundLayers[0];
  const dims = hidden.shape[hidden.shape.length - 1] as number;
  if (hidden.shape.length !== 2 || !(dims > 0)) throw new Error(`the layer before the output has shape [${hidden.shape.join(', ')}], not one vector per record`);
  // Shares the trained layers; disposing it would dispose the run's weights, so it is left to the net's disposal.
  const feature = tf.model({ inputs: net.inputs, outputs: hidden });
  const cols = rows ? x.length / rows : 0;
  const dtype = x instanceof Int32Array ? 'int32' : 'float32';
  const vectors = new Float32Array(rows * dims);
  const batch = 256;
  for (let start = 0; start < rows; start += batch) {
    const m = Math.min(batch, rows - start);
    const y = tf.tidy(() => feature.predict(tf.tensor2d(x.subarray(start * cols, (start + m) * cols), [m, cols], dtype)) as tf.Tensor);
    try {
      vectors.set((await y.data()) as Float32Array, start * dims);
    } finally {
      y.dispose();
    }
    tick(start + m);
  }
  return { vectors, dims, layer: `${source.name} (${dims} units, the layer before the output)` };
}
