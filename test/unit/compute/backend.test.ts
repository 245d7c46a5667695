import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { BACKEND_ORDER, parseBackendOverride, selectBackend } from '../../../electron/compute/backend';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

test('without override, candidates are tried fastest first and the first that starts wins', async () => {
  const info = await selectBackend('');
  const names = info.attempts.map((a) => a.name);
  assert.deepEqual(names, BACKEND_ORDER.slice(0, names.length));
  assert.ok(info.attempts.slice(0, -1).every((a) => !a.ok && a.error));
  assert.equal(info.attempts.at(-1)?.ok, true);
  assert.equal(info.attempts.at(-1)?.name, info.name);
  if (!installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu')) {
    // This machine has no libtensorflow: the wasm backend that ships inside npm must be chosen.
    assert.equal(info.name, 'wasm');
    assert.equal(info.tfBackend, 'wasm');
    assert.match(info.reason, /node-gpu, node not available/);
    assert.equal(info.simd, true);
    // onnxruntime-node ships its CPU binary in the npm package, so the heavy kernels must be native here.
    assert.match(info.nativeKernels ?? '', /^matrix products, convolutions and large sums on onnxruntime/);
  }
});

test('DEEPTRIAGE_BACKEND=cpu is honoured', async () => {
  const info = await selectBackend('cpu');
  assert.equal(info.name, 'cpu');
  assert.equal(info.tfBackend, 'cpu');
  assert.equal(info.reason, 'DEEPTRIAGE_BACKEND=cpu');
  assert.deepEqual(info.attempts, [{ name: 'cpu', ok: true }]);
});

test('an override that cannot start falls back in order and says so', { skip: installed('@tensorflow/tfjs-node') }, async () => {
  const info = await selectBackend('node');
  assert.equal(info.attempts[0].name, 'node');
  assert.equal(info.attempts[0].ok, false);
  assert.equal(info.name, installed('@tensorflow/tfjs-node-gpu') ? 'node-gpu' : 'wasm');
  assert.match(info.reason, /DEEPTRIAGE_BACKEND=node could not start; fell back to/);
});

test('an unknown override is an error that lists the choices', () => {
  assert.throws(() => parseBackendOverride('webgpu'), /must be one of node-gpu, node, wasm, cpu; got 'webgpu'/);
  assert.equal(parseBackendOverride(undefined), undefined);
  assert.equal(parseBackendOverride('  wasm '), 'wasm');
});
