import * as tf from '@tensorflow/tfjs';
import { hasOneStepActivation, lstmSequence, oneStepLayer, type CellKind } from './one-step-cell';

/**
 * tf.js' LSTM, GRU and SimpleRNN with a fast path for ONE time step from a zero state (the records models
 * feed the feature vector as a single step): z = x·W + b as one fused matmul, then the gates as one op
 * (one-step-cell.ts; on wasm the whole layer is one kernel, electron/compute/kernels/one-step-layer.ts), instead of the generic RNN loop's ~200 kernels per training step. Every other case
 * (longer sequences, masks, initial or carried state, returned states, input/recurrent dropout while
 * training) runs tf.js' own call unchanged.
 *
 * The classes keep tf.js' class names, weights and config, and are registered in their place: model.json
 * is unchanged (older saved models load into them and score the same), Bidirectional (which rebuilds its
 * two layers from the registry) gets the fast path for both directions, and everything that reads a layer
 * by class name — the ONNX exporter, the explanations, the replicas — sees the LSTM/GRU/SimpleRNN it was.
 * The recurrent kernel gets no gradient on the fast path (h0·U = 0 and tf.js' gradient for it is exactly
 * zero), so optimizers leave it as it is, as they do from a zero gradient.
 */

type LstmArgs = Parameters<typeof tf.layers.lstm>[0];
type GruArgs = Parameters<typeof tf.layers.gru>[0];
type SimpleRnnArgs = Parameters<typeof tf.layers.simpleRNN>[0];
type Kwargs = Record<string, unknown>;

/** The cell internals the fast path reads (tf.js keeps them public on the cell object). */
interface CellInternals {
  units: number;
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation?: { getClassName(): string };
}

interface RnnInternals {
  cell: CellInternals;
  stateful: boolean;
  goBackwards: boolean;
  returnState: boolean;
  returnSequences: boolean;
}

/** tf.js' own class as registered under `name` (the one tf.layers.lstm & co. construct). */
function stockClass<T>(name: string): T {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  if (!entry) throw new Error(`tf.js has no registered layer class '${name}'`);
  return entry[0] as unknown as T;
}

/** The activation's serialized name ('tanh', 'hardSigmoid', …), as getConfig writes it. */
function actName(a: { getClassName(): string } | undefined): string {
  return a ? a.getClassName() : 'linear';
}

/**
 * Backends whose tensors live in this process's memory, where the gate op reads z without a device round trip
 * (measured and tested on both). On a GPU backend (tfjs-node-gpu also calls itself 'tensorflow') reading z
 * mid-graph would stall the device, so those keep tf.js' own recurrence.
 */
const HOST_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * The call's one float32 [batch, time, features] input when the call starts from a zero state and returns
 * only its output (no mask, no initial or carried state, no returned states, no dropout mask drawn), else null.
 */
function zeroStateInput(layer: RnnInternals, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs | undefined): tf.Tensor | null {
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
  if (!x || x.rank !== 3 || x.dtype !== 'float32') return null;
  if (kwargs?.mask != null || kwargs?.initialState != null) return null;
  if (layer.stateful || layer.returnState) return null;
  // Input/recurrent dropout draws masks while training; at inference tf.js multiplies by ones.
  if (kwargs?.training === true && (layer.cell.dropout > 0 || layer.cell.recurrentDropout > 0)) return null;
  return x;
}

/**
 * The output of one step from a zero state, or null when this call is not that case (the caller then runs
 * tf.js' generic recurrence).
 */
function oneStep(layer: RnnInternals, kind: CellKind, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs | undefined): tf.Tensor | null {
  if (!HOST_BACKENDS.has(tf.getBackend())) return null;
  const x = zeroStateInput(layer, inputs, kwargs);
  if (!x || x.shape[1] !== 1) return null;
  const cell = layer.cell;
  const activation = actName(cell.activation);
  const recurrentActivation = kind === 'simplernn' ? 'linear' : actName(cell.recurrentActivation);
  if (!hasOneStepActivation(activation) || !hasOneStepActivation(recurrentActivation)) return null;
  return tf.tidy(() => {
    const kernel = cell.kernel.read() as tf.Tensor2D;
    const bias = cell.bias ? (cell.bias.read() as tf.Tensor1D) : undefined;
    const h = oneStepLayer(x as tf.Tensor3D, kernel, bias, { kind, units: cell.units, activation, recurrentActivation });
    return layer.returnSequences ? tf.reshape(h, [x.shape[0], 1, cell.units]) : h;
  });
}

/**
 * The last output of an LSTM over a whole sequence from a zero state, as the backend's kernel where it has
 * one (electron/compute/kernels/lstm-sequence.ts), or null: masks, initial or carried state, returned
 * states or sequences, reversed order and dropout while training run tf.js' own recurrence.
 */
function sequence(layer: RnnInternals, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs | undefined): tf.Tensor | null {
  const x = zeroStateInput(layer, inputs, kwargs);
  if (!x || x.shape[1]! < 2 || layer.returnSequences || layer.goBackwards) return null;
  const cell = layer.cell;
  // (No tidy: read() hands back the weights themselves, and the kernel makes only its output.)
  return lstmSequence(x as tf.Tensor3D, cell.kernel.read() as tf.Tensor2D, cell.recurrentKernel.read() as tf.Tensor2D,
    cell.bias ? (cell.bias.read() as tf.Tensor1D) : undefined,
    { units: cell.units, activation: actName(cell.activation), recurrentActivation: actName(cell.recurrentActivation) });
}

const StockLSTM = stockClass<new (args: LstmArgs) => ReturnType<typeof tf.layers.lstm>>('LSTM');
const StockGRU = stockClass<new (args: GruArgs) => ReturnType<typeof tf.layers.gru>>('GRU');
const StockSimpleRNN = stockClass<new (args: SimpleRnnArgs) => ReturnType<typeof tf.layers.simpleRNN>>('SimpleRNN');

export class OneStepLSTM extends StockLSTM {
  static className = 'LSTM';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as RnnInternals;
    return oneStep(self, 'lstm', inputs, kwargs) ?? sequence(self, inputs, kwargs) ?? super.call(inputs, kwargs);
  }
}

export class OneStepGRU extends StockGRU {
  static className = 'GRU';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return oneStep(this as unknown as RnnInternals, 'gru', inputs, kwargs) ?? super.call(inputs, kwargs);
  }
}

export class OneStepSimpleRNN extends StockSimpleRNN {
  static className = 'SimpleRNN';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return oneStep(this as unknown as RnnInternals, 'simplernn', inputs, kwargs) ?? super.call(inputs, kwargs);
  }
}

// In place of tf.js' own: deserialization (tf.loadLayersModel, Bidirectional's two layers) builds these.
// (tf.js' static fromConfig is inherited; its declared type names the stock class, hence the cast.)
type Registrable = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;
for (const cls of [OneStepLSTM, OneStepGRU, OneStepSimpleRNN]) tf.serialization.registerClass(cls as unknown as Registrable);
