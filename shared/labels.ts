/**
 * Class names that mean "benign" (case-insensitive): the label encoder's default list. The views use it to
 * orient every attribution on one diverging scale (attack = warm, normal = cool) whatever class a model
 * predicts; test/unit/shared/labels.test.ts keeps it equal to the encoder's list.
 */
export const BENIGN_LABELS: readonly string[] = ['normal', 'benign', 'legit', 'legitimate', 'good', 'clean'];

export function isBenignLabel(label: string): boolean {
  return BENIGN_LABELS.includes(label.toLowerCase());
}
