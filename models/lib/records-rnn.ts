import * as tf from '@tensorflow/tfjs';
import type { Hyperparams, TfModelDef } from '../types';
import { apply, context, dropout, finish, int, outputHead, rate, recordsInput } from './build';
import { bidirectional, recurrent, reseedBackwardLayers, type CellType } from './recurrent';

const NAMES: Record<CellType, string> = { simplernn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

/**
 * Staudemeyer 2015 / Kim 2016 / Yin 2017 style recurrent IDS: the feature vector is ONE time step
 * ([1, numFeatures]), 80 hidden units, dropout 0.1, then the output layer.
 */
export function recordsRnnDef(id: string, cell: CellType, bidir: boolean): TfModelDef {
  const defaults: Hyperparams = { epochs: 100, batchSize: 64, learningRate: 0.001, optimizer: 'adam', dropout: 0.1, units: 80 };
  const name = `${bidir ? 'Bidirectional ' : ''}${NAMES[cell]}`;
  return {
    id,
    family: 'records',
    kind: 'deep',
    engine: 'tfjs',
    description: `${name} over the feature vector as one time step, 80 units${bidir ? ' per direction' : ''} + dropout 0.1 (Staudemeyer 2015, Yin 2017); adam 1e-3, batch 64, 100 epochs`,
    defaults,
    dataParallel: false,
    build(spec) {
      const ctx = context(spec, defaults);
      const input = recordsInput(spec);
      const units = int(ctx.p, 'units');
      const d = rate(ctx.p, 'dropout');
      let x = apply(tf.layers.reshape({ targetShape: [1, spec.numFeatures as number] }), input);
      x = apply(bidir ? bidirectional(ctx, cell, units) : recurrent(ctx, cell, units), x);
      if (d > 0) x = apply(dropout(ctx, d), x);
      const model = finish(input, outputHead(ctx, x), id);
      if (bidir) reseedBackwardLayers(model, ctx.seeds);
      return model;
    },
  };
}
