/** Distinct on the dark panels and for colour-blind readers (Okabe–Ito, lightened). */
const PALETTE = ['#4da3ff', '#f5a524', '#3ecf8e', '#e879c6', '#f26d6d', '#a78bfa', '#9fd8f0', '#e6d45c'];

export function runColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}
