import type { ModelDef, ModelFamily } from './types';
import dnn1 from './dnn1';
import dnn2 from './dnn2';
import dnn3 from './dnn3';
import dnn4 from './dnn4';
import dnn5 from './dnn5';
import simplernn from './simplernn';
import lstm from './lstm';
import gru from './gru';
import birnn from './birnn';
import bilstm from './bilstm';
import bigru from './bigru';
import cnn1d from './cnn1d';
import cnnLstm from './cnn-lstm';
import charCnn from './char-cnn';
import charCnnLstm from './char-cnn-lstm';
import charLstm from './char-lstm';
import charBigru from './char-bigru';
import logreg from './logreg';
import randomForest from './random-forest';

/** Every architecture the workbench offers. Adding one = one file + one line here. */
export const MODELS: readonly ModelDef[] = [
  dnn1, dnn2, dnn3, dnn4, dnn5,
  simplernn, lstm, gru, birnn, bilstm, bigru, cnn1d, cnnLstm,
  charCnn, charCnnLstm, charLstm, charBigru,
  logreg, randomForest,
];

const byId = new Map<string, ModelDef>();
for (const m of MODELS) {
  if (byId.has(m.id)) throw new Error(`models/registry: duplicate model id '${m.id}'`);
  byId.set(m.id, m);
}

export function getModel(id: string): ModelDef {
  const m = byId.get(id);
  if (!m) throw new Error(`unknown model '${id}' (known: ${[...byId.keys()].join(', ')})`);
  return m;
}

export function modelsFor(family: ModelFamily): ModelDef[] {
  return MODELS.filter((m) => m.family === family);
}
