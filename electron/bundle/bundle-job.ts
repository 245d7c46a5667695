import fs from 'node:fs';
import path from 'node:path';
import type { JobHandler } from '../jobs/context';
import { layersToOnnx } from '../onnx/from-layers';
import { writeFileAtomic } from '../store/atomic';
import { deserializeClassifier } from '../train/classifier-io';
import { readRunModel } from '../train/run-files';
import { TfClassifier } from '../train/tf-classifier';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, sha256, type BundleEncoding, type BundleManifest } from './manifest';
import { pythonSourceFiles, pythonSourcesDir } from './python-sources';

export interface BundleJobInput {
  runDir: string;
  dir: string;
  manifest: Omit<BundleManifest, 'encodingHash' | 'modelHash' | 'input' | 'format' | 'formatVersion' | 'output' | 'files'>;
  encoding: BundleEncoding;
}

export interface BundleJobResult {
  dir: string;
  files: string[];
  encodingHash: string;
}

/**
 * Writes a scoring bundle: the run's network as a fixed-input ONNX graph (any runtime can feed it), the
 * encoding as data, the Python scorer and its README. bundle.json goes last, so a folder without it is an
 * unfinished export, never a bundle with a missing part.
 */
export const bundleJob: JobHandler = async (raw, ctx) => {
  const input = raw as BundleJobInput;
  const { dir } = input;
  ctx.progress({ fraction: 0, message: `loading ${input.manifest.modelId}` });
  const model = await deserializeClassifier(readRunModel(input.runDir));
  let onnx: Uint8Array;
  let width: number;
  try {
    if (!(model instanceof TfClassifier)) {
      throw new Error(`${input.manifest.modelId} is not a neural network (a JavaScript baseline): scoring bundles carry ONNX models of the tf.js architectures`);
    }
    const exported = layersToOnnx(model.net, {
      metadata: {
        'deeptriage.runId': input.manifest.runId,
        'deeptriage.runName': input.manifest.runName,
        'deeptriage.classes': JSON.stringify(input.manifest.classes),
        'deeptriage.hyperparameters': JSON.stringify(input.manifest.hyperparameters),
      },
      docString: `DeepTriage ${input.manifest.modelId} (scoring bundle)`,
    });
    onnx = exported.bytes;
    width = exported.input.steps;
  } finally {
    model.dispose();
  }
  fs.rmSync(path.join(dir, 'bundle.json'), { force: true });
  writeFileAtomic(path.join(dir, 'model.onnx'), onnx);
  const encodingText = JSON.stringify(input.encoding, null, 1) + '\n';
  writeFileAtomic(path.join(dir, 'encoding.json'), encodingText);
  const src = pythonSourcesDir();
  const files = pythonSourceFiles(src);
  for (const rel of files) writeFileAtomic(path.join(dir, rel), fs.readFileSync(path.join(src, rel)));
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    ...input.manifest,
    input: { name: 'input', dtype: input.encoding.featurizer.kind === 'charseq' ? 'int32' : 'float32', width },
    output: 'probabilities',
    files: { model: 'model.onnx', encoding: 'encoding.json' },
    encodingHash: sha256(encodingText),
    modelHash: sha256(onnx),
  };
  writeFileAtomic(path.join(dir, 'bundle.json'), JSON.stringify(manifest, null, 2) + '\n');
  ctx.progress({ fraction: 1, message: `wrote ${dir}` });
  return { dir, files: ['bundle.json', 'model.onnx', 'encoding.json', ...files], encodingHash: manifest.encodingHash } satisfies BundleJobResult;
};
