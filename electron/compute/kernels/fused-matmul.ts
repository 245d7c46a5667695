import type { _FusedMatMulAttrs, _FusedMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ortGemm } from './ort-native';
import {
  disposeIntermediate,
  replaceWasmKernel,
  requireWasmKernel,
  runWasmKernel,
  transposeLastTwo,
} from './wasm-kernel-utils';

/** Applies the fused activation as a separate wasm kernel. */
function activate(backend: BackendWasm, x: TensorInfo, attrs: _FusedMatMulAttrs, prelu: TensorInfo | undefined): TensorInfo | null {
  switch (attrs.activation) {
    case 'linear': return null;
    case 'relu': return runWasmKernel(requireWasmKernel('Relu'), backend, { x });
    case 'relu6': return runWasmKernel(requireWasmKernel('Relu6'), backend, { x });
    case 'elu': return runWasmKernel(requireWasmKernel('Elu'), backend, { x });
    case 'sigmoid': return runWasmKernel(requireWasmKernel('Sigmoid'), backend, { x });
    case 'leakyrelu': return runWasmKernel(requireWasmKernel('LeakyRelu'), backend, { x }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
    case 'prelu': return runWasmKernel(requireWasmKernel('Prelu'), backend, { x, alpha: prelu! });
    default: throw new Error(`_FusedMatMul (wasm fix): activation '${attrs.activation}' not supported`);
  }
}

/**
 * Two problems in the wasm _FusedMatMul: (1) with transposeA/B it takes the same
 * slow scalar loop as BatchMatMul, so we transpose first; (2) with a batch > 1 it
 * adds the bias wrongly (measured on 4.22: off by O(1)), so for batched products
 * with a bias or prelu we do matmul, then Add, then the activation, as separate kernels.
 * Layers always call it with batch 1, where the fused C++ path is correct and fastest.
 */
export function makeFusedMatMul(original: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const inputs = args.inputs as unknown as _FusedMatMulInputs;
    const attrs = args.attrs as unknown as _FusedMatMulAttrs;
    const batch = Math.max(
      inputs.a.shape.slice(0, -2).reduce((p, d) => p * d, 1),
      inputs.b.shape.slice(0, -2).reduce((p, d) => p * d, 1));
    if (batch === 1 && inputs.preluActivationWeights == null) {
      // onnxruntime's GEMM with the bias as Gemm's C, then the activation as its own wasm kernel.
      const product = ortGemm(backend, inputs.a, inputs.b, attrs.transposeA, attrs.transposeB, inputs.bias ?? undefined);
      if (product) {
        const activated = activate(backend, product, attrs, undefined);
        if (activated == null) return product;
        disposeIntermediate(backend, product);
        return activated;
      }
    }
    const epilogue = batch > 1 && (inputs.bias != null || inputs.preluActivationWeights != null);
    if (!attrs.transposeA && !attrs.transposeB && !epilogue) return original.kernelFunc(args);

    const a2 = attrs.transposeA ? transposeLastTwo(backend, inputs.a) : null;
    const b2 = attrs.transposeB ? transposeLastTwo(backend, inputs.b) : null;
    const a = a2 ?? inputs.a;
    const b = b2 ?? inputs.b;
    try {
      if (!epilogue) {
        return runWasmKernel(original, backend, { ...inputs, a, b }, { ...attrs, transposeA: false, transposeB: false });
      }
      const product = runWasmKernel(requireWasmKernel('BatchMatMul'), backend, { a, b }, { transposeA: false, transposeB: false });
      const biased = inputs.bias != null ? runWasmKernel(requireWasmKernel('Add'), backend, { a: product, b: inputs.bias }) : null;
      const activated = activate(backend, biased ?? product, attrs, inputs.preluActivationWeights);
      if (activated != null) disposeIntermediate(backend, product, biased);
      else if (biased != null) disposeIntermediate(backend, product);
      return activated ?? biased ?? product;
    } finally {
      disposeIntermediate(backend, a2, b2);
    }
  };
}

export function registerFusedMatMulFix(): void {
  replaceWasmKernel('_FusedMatMul', (original) => {
    if (original == null) throw new Error("wasm '_FusedMatMul' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return makeFusedMatMul(original);
  });
}
