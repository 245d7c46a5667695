import { createRequire } from 'node:module';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraphBuilder } from '../../onnx/graph-builder';
import { DataType } from '../../onnx/onnx-proto';
import { SINGLE_THREAD_SESSION } from '../../onnx/runtime';
import { heapOffset } from './wasm-kernel-utils';

/** onnxruntime-node's synchronous native session (the public API wraps it in a promise, tf.js kernels are synchronous). */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: object): unknown;
}
interface Native {
  Session: new () => NativeSession;
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}

let native: Native | null | undefined;

/**
 * onnxruntime's MLAS GEMM (AVX2/FMA where the CPU has it) for the wasm backend's matrix products: measured
 * 39–58 GFLOP/s against XNNPACK-in-wasm's 11–14 on the training shapes here. Null when the package is absent
 * or DEEPTRIAGE_ORT_GEMM=0 (then the wasm kernels run as before).
 */
export function loadNativeKernels(): Native | null {
  if (native !== undefined) return native;
  if (process.env.DEEPTRIAGE_ORT_GEMM === '0' || process.env.DEEPTRIAGE_ONNX === '0') return (native = null);
  try {
    const req = createRequire(import.meta.url);
    const b = req('onnxruntime-node/dist/binding') as { binding: { InferenceSession: new () => NativeSession }; initOrt: () => void };
    const { Tensor } = req('onnxruntime-node') as { Tensor: Native['Tensor'] };
    b.initOrt();
    native = { Session: b.binding.InferenceSession, Tensor };
    if (process.env.DEEPTRIAGE_MALLOC_WARMUP !== '0') raiseMallocThresholds();
  } catch {
    native = null;
  }
  return native;
}

const sessions = new Map<string, NativeSession>();

/** 30 MB of floats: under glibc's ceiling for its dynamic mmap threshold (32 MB on 64-bit). */
const WARMUP_FLOATS = (30 << 20) / 4;

/**
 * onnxruntime-node's binding returns a fresh JavaScript copy of every output, preallocated or not (checked on
 * 1.30), so each call allocates a buffer the size of its output (10 MB for a char-cnn activation), freed
 * when the collector gets to it. Under glibc's default thresholds a block that large is a fresh mmap every
 * time, so every call faults its pages in again: on a quiet 2-core machine ~11,000 page faults and half the
 * time of a char-cnn training step (381–436 samples/s) in a process whose allocation history had not already
 * moved the thresholds, against 752–910 with this warm-up or with GLIBC_TUNABLES raising them (which only
 * works in the environment a process starts with). glibc raises both thresholds by itself when a mmapped
 * block is freed (mallopt(3), "dynamic mmap threshold"): one call whose output is 30 MB sets them to ~30 / 60
 * MB for the life of the process. Costs ~60 MB for a moment, once per thread; a no-op on other C libraries.
 * Runs when the native kernels load (DEEPTRIAGE_MALLOC_WARMUP=0 leaves it out, for the test).
 */
export function raiseMallocThresholds(): void {
  const n = native;
  if (!n) return;
  try {
    const bytes = tileModel([WARMUP_FLOATS]);
    const s = new n.Session();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, SINGLE_THREAD_SESSION);
    s.run({ X: new n.Tensor('float32', new Float32Array([0]), [1]) }, { Y: new n.Tensor('float32', new Float32Array(WARMUP_FLOATS), [WARMUP_FLOATS]) }, {});
  } catch {
    // Only speed depends on it: every kernel works without it.
  }
}

/** One session per small graph (symbolic sizes), built once per thread and kept: there are a handful. */
function cachedSession(n: Native, key: string, build: () => Uint8Array, options: object = SINGLE_THREAD_SESSION): NativeSession {
  let s = sessions.get(key);
  if (s) return s;
  const bytes = build();
  s = new n.Session();
  // Single-threaded unless the caller says: each training replica is its own worker, and the machine's cores
  // are already shared out between them.
  s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
  sessions.set(key, s);
  return s;
}

/**
 * Intra-op threads for the large matrix products of this thread's training (1: every session single-threaded).
 * A lone single-replica job on 2 cores gets 2: its products (dnn5: 256 × 1,024 × 768) are most of its step,
 * and the second core otherwise only runs V8's collector. Replicas keep 1 each (they are the parallelism).
 */
let gemmThreads = 1;
/** Multiply-adds from which a product is worth a second thread (dnn5's are 8–200 M; an lstm's 2.6 M is not). */
const THREADED_GEMM_MACS = 1 << 23;

export function setNativeGemmThreads(threads: number): void {
  gemmThreads = Math.max(1, Math.floor(threads));
}

function gemmSession(n: Native, transA: boolean, transB: boolean, bias: boolean, macs: number): NativeSession {
  const threads = macs >= THREADED_GEMM_MACS ? gemmThreads : 1;
  const opts = threads > 1 ? { ...SINGLE_THREAD_SESSION, intraOpNumThreads: threads } : SINGLE_THREAD_SESSION;
  return cachedSession(n, `gemm ${+transA}${+transB}${+bias} ${threads}`, () => gemmModel(transA, transB, bias), opts);
}

function gemmModel(transA: boolean, transB: boolean, bias: boolean): Uint8Array {
  const g = new GraphBuilder();
  const inputs = [g.reserve('A'), g.reserve('B'), ...(bias ? [g.reserve('C')] : [])];
  g.nodes.push({
    opType: 'Gemm',
    name: 'gemm',
    inputs,
    outputs: [g.reserve('Y')],
    attributes: [
      { name: 'transA', kind: 'int', value: +transA },
      { name: 'transB', kind: 'int', value: +transB },
    ],
  });
  return g.encode({
    name: 'gemm',
    doc: 'matrix product for the tf.js wasm backend',
    inputs: [
      { name: 'A', dataType: DataType.FLOAT, shape: ['a0', 'a1'] },
      { name: 'B', dataType: DataType.FLOAT, shape: ['b0', 'b1'] },
      ...(bias ? [{ name: 'C', dataType: DataType.FLOAT, shape: ['n'] }] : []),
    ],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, shape: ['m', 'n'] }],
  });
}

/**
 * NHWC conv2d as one graph: transposes to ONNX's NCHW (and the filter from tf.js' [h, w, in, out] to
 * [out, in, h, w]) around an ONNX Conv, so the layout work happens in native code too.
 */
function convModel(strides: number[], pads: number[], dilations: number[]): Uint8Array {
  const g = new GraphBuilder();
  const x = g.reserve('X');
  const w = g.reserve('W');
  const xc = g.op('Transpose', [x], [{ name: 'perm', kind: 'ints', value: [0, 3, 1, 2] }]);
  const wc = g.op('Transpose', [w], [{ name: 'perm', kind: 'ints', value: [3, 2, 0, 1] }]);
  const yc = g.op('Conv', [xc, wc], [
    { name: 'strides', kind: 'ints', value: strides },
    { name: 'pads', kind: 'ints', value: pads },
    { name: 'dilations', kind: 'ints', value: dilations },
  ]);
  g.nodes.push({ opType: 'Transpose', name: 'to_nhwc', inputs: [yc], outputs: [g.reserve('Y')], attributes: [{ name: 'perm', kind: 'ints', value: [0, 2, 3, 1] }] });
  return g.encode({
    name: 'conv',
    doc: 'NHWC convolution for the tf.js wasm backend',
    inputs: [
      { name: 'X', dataType: DataType.FLOAT, shape: ['n', 'h', 'w', 'c'] },
      { name: 'W', dataType: DataType.FLOAT, shape: ['fh', 'fw', 'c', 'o'] },
    ],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, shape: ['n', 'oh', 'ow', 'o'] }],
  });
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A wasm tensor's floats, in place on the wasm heap. Take views only after the last allocation of a kernel. */
function heapView(backend: BackendWasm, t: TensorInfo): Float32Array {
  const heap = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer;
  return new Float32Array(heap, heapOffset(backend, t), size(t.shape));
}

function reduceSumModel(rank: number, axes: number[], keepDims: boolean): Uint8Array {
  const g = new GraphBuilder();
  const x = g.reserve('X');
  g.nodes.push({ opType: 'ReduceSum', name: 'sum', inputs: [x, g.int64s('axes', axes)], outputs: [g.reserve('Y')], attributes: [{ name: 'keepdims', kind: 'int', value: +keepDims }] });
  return g.encode({
    name: 'sum',
    doc: 'sum over axes for the tf.js wasm backend',
    inputs: [{ name: 'X', dataType: DataType.FLOAT, shape: Array.from({ length: rank }, (_, i) => `d${i}`) }],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, shape: Array.from({ length: keepDims ? rank : rank - axes.length }, (_, i) => `o${i}`) }],
  });
}

/**
 * Sum of a float32 wasm tensor over `axes` by onnxruntime (the wasm Sum transposes first when the axes are
 * not innermost, which made it the largest item of a char-cnn training step). Null when not available.
 */
export function ortReduceSum(backend: BackendWasm, x: TensorInfo, axes: number[], keepDims: boolean, outShape: number[]): TensorInfo | null {
  const n = loadNativeKernels();
  if (!n || x.dtype !== 'float32' || x.shape.length === 0 || axes.length === 0 || size(x.shape) === 0) return null;
  const session = cachedSession(n, `sum ${x.shape.length} ${axes} ${+keepDims}`, () => reduceSumModel(x.shape.length, axes, keepDims));
  const out = backend.makeOutput(outShape, 'float32');
  session.run({ X: new n.Tensor('float32', heapView(backend, x), x.shape) }, { Y: new n.Tensor('float32', heapView(backend, out), outShape) }, {});
  return out;
}

function tileModel(reps: number[]): Uint8Array {
  const g = new GraphBuilder();
  const x = g.reserve('X');
  g.nodes.push({ opType: 'Tile', name: 'tile', inputs: [x, g.int64s('repeats', reps)], outputs: [g.reserve('Y')], attributes: [] });
  return g.encode({
    name: 'tile',
    doc: 'tile for the tf.js wasm backend',
    inputs: [{ name: 'X', dataType: DataType.FLOAT, shape: reps.map((_, i) => `d${i}`) }],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, shape: reps.map((_, i) => `o${i}`) }],
  });
}

/**
 * x repeated `reps` times along each axis by onnxruntime (block copies). The wasm Tile walks every output
 * value through an N-d index in a scalar loop: broadcasting a sum's gradient back over a char-cnn's time
 * axis that way cost more than the convolutions. Null when not available.
 */
export function ortTile(backend: BackendWasm, x: TensorInfo, reps: number[], outShape: number[]): TensorInfo | null {
  const n = loadNativeKernels();
  if (!n || x.dtype !== 'float32' || x.shape.length === 0 || size(outShape) === 0) return null;
  const session = cachedSession(n, `tile ${reps}`, () => tileModel(reps));
  const out = backend.makeOutput(outShape, 'float32');
  session.run({ X: new n.Tensor('float32', heapView(backend, x), x.shape) }, { Y: new n.Tensor('float32', heapView(backend, out), outShape) }, {});
  return out;
}

/**
 * conv2d of NHWC float32 wasm tensors by onnxruntime into a preallocated output of `outShape`.
 * `pads` is ONNX's [top, left, bottom, right]. Null when onnxruntime is not available.
 */
export function ortConv2D(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, outShape: number[], strides: number[], pads: number[], dilations: number[]): TensorInfo | null {
  const n = loadNativeKernels();
  if (!n || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const session = cachedSession(n, `conv ${strides} ${pads} ${dilations}`, () => convModel(strides, pads, dilations));
  const out = backend.makeOutput(outShape, 'float32');
  if (size(outShape) === 0) return out;
  session.run(
    { X: new n.Tensor('float32', heapView(backend, x), x.shape), W: new n.Tensor('float32', heapView(backend, filter), filter.shape) },
    { Y: new n.Tensor('float32', heapView(backend, out), outShape) },
    {},
  );
  return out;
}

/**
 * a·b (optionally transposed, plus a bias row) for wasm tensors whose outer (batch) dimensions are all 1, written straight into a
 * new wasm tensor: the inputs are read in place from the wasm heap and the output is preallocated there, so
 * nothing is copied. Returns null when the case is not covered (batched, not float32), for the caller's fallback.
 */
export function ortGemm(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, bias?: TensorInfo): TensorInfo | null {
  const n = loadNativeKernels();
  if (!n || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  if (size(a.shape.slice(0, -2)) !== 1 || size(b.shape.slice(0, -2)) !== 1) return null;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transA ? ac : ar;
  const cols = transB ? br : bc;
  if (bias && (bias.dtype !== 'float32' || size(bias.shape) !== cols)) return null;
  // The output keeps the inputs' rank (their outer dimensions are all 1 here), as the wasm kernel's does.
  const outer = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2);
  const out = backend.makeOutput([...outer, m, cols], 'float32');
  if (m * cols === 0) return out;
  // Views after makeOutput: an allocation may have grown (and replaced) the wasm memory buffer.
  const view = (t: TensorInfo) => heapView(backend, t);
  const inner = transA ? ar : ac;
  runGemm(n, view(a), [ar, ac], view(b), [br, bc], transA, transB, view(out), bias ? view(bias) : undefined, m * inner * cols);
  return out;
}

/** Y = op(A)·op(B) (+ C) on this thread's cached session; `macs` picks the threaded one for a large product. */
function runGemm(n: Native, a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transA: boolean, transB: boolean, out: Float32Array, bias: Float32Array | undefined, macs: number): void {
  const m = transA ? aShape[1] : aShape[0];
  const cols = transB ? bShape[0] : bShape[1];
  const feeds: Record<string, unknown> = { A: new n.Tensor('float32', a, aShape), B: new n.Tensor('float32', b, bShape) };
  if (bias) feeds.C = new n.Tensor('float32', bias, [cols]);
  gemmSession(n, transA, transB, bias !== undefined, macs).run(feeds, { Y: new n.Tensor('float32', out, [m, cols]) }, {});
}

/**
 * out = op(a)·op(b) for plain float arrays (row-major, any memory: JavaScript or a heap view) by onnxruntime's
 * GEMM on this thread's single-threaded session. False when onnxruntime is not available.
 */
export function gemmArrays(a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transA: boolean, transB: boolean, out: Float32Array): boolean {
  const n = loadNativeKernels();
  if (!n) return false;
  if (out.length === 0) return true;
  runGemm(n, a, aShape, b, bShape, transA, transB, out, undefined, 0);
  return true;
}
