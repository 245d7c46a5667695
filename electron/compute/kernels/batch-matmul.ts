import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ortGemm } from './ort-native';
import { disposeIntermediate, replaceWasmKernel, runWasmKernel, transposeLastTwo } from './wasm-kernel-utils';

/**
 * Unbatched products go to onnxruntime's GEMM when it loads (transposes handled inside, no copies).
 * Otherwise: the wasm BatchMatMul only reaches XNNPACK when neither side is transposed; with
 * transposeA/B it runs a scalar loop 12-50x slower. Every MatMul gradient asks for
 * a transpose, so we materialise the transpose (cheap, O(n^2)) and take the fast path.
 */
export function makeBatchMatMul(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as unknown as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    const native = ortGemm(backend, a, b, attrs.transposeA, attrs.transposeB);
    if (native) return native;
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const a2 = attrs.transposeA ? transposeLastTwo(backend, a) : null;
    const b2 = attrs.transposeB ? transposeLastTwo(backend, b) : null;
    try {
      return runWasmKernel(original, backend, { a: a2 ?? a, b: b2 ?? b }, { ...attrs, transposeA: false, transposeB: false });
    } finally {
      disposeIntermediate(backend, a2, b2);
    }
  };
}

export function registerBatchMatMulFix(): void {
  replaceWasmKernel('BatchMatMul', (original) => {
    if (original == null) throw new Error("wasm 'BatchMatMul' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeBatchMatMul(original);
  });
}
