import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceWasmKernel } from './wasm-kernel-utils';

/**
 * The wasm Identity copies its input. The engine clones (Identity) every tensor it saves for the backward
 * pass, so each training step copied all its activations once more (98 copies per char-cnn step, ~20 ms).
 * Tensors are immutable and nothing writes into a wasm buffer after its kernel returned (Reshape already
 * shares buffers the same way), so the clone shares the buffer with a reference count, as on the cpu backend.
 */
export const identity: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as unknown as { x: TensorInfo };
  if (x.dtype === 'string') throw new Error('Identity (wasm fix): string tensors are not supported');
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

export function registerIdentityFix(): void {
  replaceWasmKernel('Identity', (original) => {
    if (original == null) throw new Error("wasm 'Identity' kernel missing; import @tensorflow/tfjs-backend-wasm first");
    return (args) => ((args.inputs.x as TensorInfo).dtype === 'string' ? original.kernelFunc(args) : identity(args));
  });
}
