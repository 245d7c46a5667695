import type { EnsembleClassifier } from '../ensemble/ensemble-classifier';
import { TfClassifier } from '../train/tf-classifier';
import { OnnxExportError } from './errors';
import { layersIntoGraph, type OnnxExport, type Subgraph } from './from-layers';
import { GraphBuilder } from './graph-builder';
import { DataType } from './onnx-proto';

/**
 * An ensemble as ONE graph: every member's subgraph reads the shared `input`, then the combiner —
 * a weighted Sum of the members' probabilities, or Concat → Gemm → Softmax for the stacker. Fixed-width
 * input (members' trimmed char-cnn variants need their own column packing, which one input cannot give all).
 */
export function ensembleToOnnx(e: EnsembleClassifier, opts: { metadata?: Record<string, string>; docString?: string } = {}): OnnxExport {
  const g = new GraphBuilder();
  const inputName = g.reserve('input');
  const subs: Subgraph[] = e.members.map((m) => {
    if (!(m.model instanceof TfClassifier)) {
      throw new OnnxExportError(`ensemble member ${m.runId} (${m.modelId}) is not a neural network: ONNX export covers ensembles of tf.js models`);
    }
    return layersIntoGraph(g, m.model.net, inputName);
  });
  const first = subs[0];
  for (const [i, s] of subs.entries()) {
    if (s.isIds !== first.isIds || s.steps !== first.steps || s.classes !== e.numClasses) {
      throw new OnnxExportError(`ensemble member ${e.members[i].runId} takes ${s.steps} ${s.isIds ? 'ids' : 'features'} → ${s.classes} classes; member ${e.members[0].runId} takes ${first.steps} ${first.isIds ? 'ids' : 'features'} → ${first.classes}`);
    }
  }
  const k = e.numClasses;
  const c = e.combiner;
  let proba: string;
  if (c.method === 'stack') {
    const s = c.stacker;
    if (!s) throw new OnnxExportError('the stacked ensemble has no fitted stacker');
    const d = subs.length * k;
    const features = g.op('Concat', subs.map((x) => x.proba), [{ name: 'axis', kind: 'int', value: 1 }]);
    // coef is [K, D]; Gemm with transB computes features · coefᵀ + intercept.
    const logits = g.op('Gemm', [features, g.floats('stacker/coef', [k, d], Float32Array.from(s.coef)), g.floats('stacker/intercept', [k], Float32Array.from(s.intercept))], [{ name: 'transB', kind: 'int', value: 1 }]);
    proba = g.op('Softmax', [logits], [{ name: 'axis', kind: 'int', value: -1 }]);
  } else {
    const scaled = subs.map((x, i) => g.op('Mul', [x.proba, g.floatScalar(`member${i}/weight`, c.weights[i])]));
    proba = g.op('Sum', scaled);
  }
  g.nodes.push({ opType: 'Identity', name: g.unique('output_node'), inputs: [proba], outputs: [g.reserve('probabilities')], attributes: [] });
  const bytes = g.encode({
    name: `ensemble_${c.method}`,
    doc: opts.docString ?? `DeepTriage ensemble (${c.method}) of ${e.members.map((m) => m.modelId).join(', ')}`,
    inputs: [{ name: inputName, dataType: first.isIds ? DataType.INT32 : DataType.FLOAT, shape: ['batch', first.steps] }],
    outputs: [{ name: 'probabilities', dataType: DataType.FLOAT, shape: ['batch', k] }],
    metadata: opts.metadata,
  });
  return { bytes, input: { kind: 'fixed', steps: first.steps } };
}
