import { CharSeqEncoder, type CharSeqJSON } from './charseq';
import { TabularFeaturizer, type TabularFeaturizerJSON } from './tabular';

export type FeaturizerJSON = TabularFeaturizerJSON | CharSeqJSON;
export type Featurizer = TabularFeaturizer | CharSeqEncoder;

export function featurizerFromJSON(json: FeaturizerJSON): Featurizer {
  if (json.kind === 'tabular') return new TabularFeaturizer(json);
  if (json.kind === 'charseq') return new CharSeqEncoder(json);
  throw new Error(`unknown featurizer kind ${(json as { kind: string }).kind}`);
}

export * from './charseq';
export * from './tabular';
