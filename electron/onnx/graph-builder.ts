import { DataType, encodeModel, type OnnxAttribute, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto';

/** Collects nodes and initializers for one graph, handing out unique value names. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private used = new Set<string>();

  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`graph value '${name}' is already defined`);
    this.used.add(name);
    return name;
  }

  floats(base: string, dims: number[], values: Float32Array): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (values.length !== n) throw new Error(`initializer ${base}: ${values.length} values for shape [${dims.join(', ')}]`);
    const name = this.unique(base);
    const copy = Float32Array.from(values);
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, raw: new Uint8Array(copy.buffer) });
    return name;
  }

  int64s(base: string, values: readonly number[]): string {
    const name = this.unique(base);
    const b = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dataType: DataType.INT64, dims: [values.length], raw: new Uint8Array(b.buffer) });
    return name;
  }

  int32Scalar(base: string, value: number): string {
    const name = this.unique(base);
    this.initializers.push({ name, dataType: DataType.INT32, dims: [], raw: new Uint8Array(new Int32Array([value]).buffer) });
    return name;
  }

  floatScalar(base: string, value: number): string {
    const name = this.unique(base);
    this.initializers.push({ name, dataType: DataType.FLOAT, dims: [], raw: new Uint8Array(new Float32Array([value]).buffer) });
    return name;
  }

  /** Adds one node with a single output and returns that output's name. */
  op(opType: string, inputs: string[], attributes: OnnxAttribute[] = [], outBase?: string): string {
    const out = this.unique(outBase ?? opType.toLowerCase());
    this.nodes.push({ opType, name: this.unique(`${opType}_node`), inputs, outputs: [out], attributes });
    return out;
  }

  /** The collected graph as .onnx bytes (IR 8, opset 17). */
  encode(o: { name: string; doc: string; inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[]; metadata?: Record<string, string> }): Uint8Array {
    return encodeModel({
      irVersion: 8,
      opset: 17,
      producerName: 'DeepTriage',
      producerVersion: '1',
      docString: o.doc,
      metadata: o.metadata ?? {},
      graph: { name: o.name, nodes: this.nodes, initializers: this.initializers, inputs: o.inputs, outputs: o.outputs },
    });
  }
}
