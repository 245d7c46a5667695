import type { DatasetRow } from '../../../shared/domain';

/** Official test files and files named like one: never the default training set. */
export const looksLikeTestFile = (name: string): boolean => /test|corrected|holdout|eval/i.test(name);

/** The training set a new user means: the newest own-encoding dataset that is not named like a test file. */
export function defaultTrainingSet(trainable: DatasetRow[]): DatasetRow | undefined {
  return trainable.find((d) => !looksLikeTestFile(d.name)) ?? trainable[0];
}

/**
 * Datasets a run trained on `train` can be scored on: the same format (the engine encodes one imported with
 * its own encoding like the training set on the fly). A source file already encoded like `train` shows once,
 * as that copy; copies made for another training set are left out (their source file stands for them).
 */
export function compatibleTestSets(datasets: DatasetRow[], train: DatasetRow | undefined): DatasetRow[] {
  if (!train) return [];
  const root = train.encodedLike ?? train.id;
  const same = datasets.filter((d) => d.id !== train.id && d.format === train.format && d.kind === train.kind);
  const encoded = same.filter((d) => d.encodedLike === root);
  const covered = new Set(encoded.map((d) => d.sourcePath));
  return [
    ...encoded,
    ...same.filter((d) => !d.encodedLike && d.id !== root && !covered.has(d.sourcePath)),
  ];
}

/** Whether scoring on `d` will first encode it like `train` (said beside the choice, since it takes a moment). */
export const needsEncoding = (d: DatasetRow, train: DatasetRow | undefined): boolean =>
  !!train && d.encodedLike !== (train.encodedLike ?? train.id) && d.id !== train.id;
