import { prng } from '../primitives/seeded-random';
import { separability } from './separability';
import type { ColumnSpec } from '../featurize';

export interface ShortcutResult {
  feature: string;
  /** max(AUC, 1 − AUC) of the feature alone, on a sample of up to `cap` rows. */
  auc: number;
  /**
   * One-sided split: the share of one class lying strictly outside the other class's whole range
   * (e.g. "every benign URL is ≥ 83 chars, and 55% of malicious ones are shorter"). A pure rule
   * like this is a shortcut even when the AUC is modest.
   */
  pure?: { cls: 'malicious' | 'benign'; side: 'below' | 'above'; threshold: number; fraction: number };
  sampled: number;
}

export function urlHost(u: string): string {
  let s = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const cut = s.search(/[/?#]/);
  if (cut >= 0) s = s.slice(0, cut);
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  return s.replace(/:\d*$/, '').toLowerCase();
}

export function tldOf(textKind: 'url' | 'domain', s: string): string {
  const host = textKind === 'url' ? urlHost(s) : s.toLowerCase();
  if (/^\d+(\.\d+){3}$/.test(host) || host.startsWith('[')) return '<ip>';
  const dot = host.lastIndexOf('.');
  return dot < 0 ? '<none>' : host.slice(dot + 1);
}

function digitRatio(s: string): number {
  if (!s.length) return 0;
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d++;
  }
  return d / s.length;
}

function pureSplit(s: ArrayLike<number>, pos: Uint8Array, n: number): ShortcutResult['pure'] {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  const cnt = [0, 0];
  for (let i = 0; i < n; i++) {
    const v = s[i];
    if (v !== v) continue;
    const c = pos[i];
    cnt[c]++;
    if (v < lo[c]) lo[c] = v;
    if (v > hi[c]) hi[c] = v;
  }
  let best: ShortcutResult['pure'];
  for (const c of [0, 1]) {
    const o = 1 - c;
    if (!cnt[c] || !cnt[o]) continue;
    let below = 0;
    let above = 0;
    for (let i = 0; i < n; i++) {
      if (pos[i] !== c) continue;
      if (s[i] < lo[o]) below++;
      else if (s[i] > hi[o]) above++;
    }
    const cls = c === 1 ? 'malicious' : 'benign';
    for (const [side, k, threshold] of [['below', below, lo[o]], ['above', above, hi[o]]] as const) {
      const fraction = Math.round((k / cnt[c]) * 10000) / 10000;
      if (!best || fraction > best.fraction) best = { cls, side, threshold, fraction };
    }
  }
  return best;
}

/**
 * Reservoir sample of labelled rows for the one-feature shortcut check; bounded memory whatever the file size.
 */
export class ShortcutSampler {
  private seen = 0;
  private n = 0;
  private readonly rand = prng(0x5eed);
  private readonly pos: Uint8Array;
  private readonly num: Float64Array;
  private readonly texts: string[] = [];
  private readonly numericIdx: number[];

  constructor(
    private readonly kind: 'tabular' | 'text',
    private readonly columns: ColumnSpec[],
    private readonly textKind: 'url' | 'domain' | 'behaviour' = 'url',
    /** Domains whose public suffix the encoder cuts: the TLD is not in the model's input, so it is no shortcut. */
    private readonly noTld = false,
    private readonly cap = 50_000,
  ) {
    this.pos = new Uint8Array(cap);
    this.numericIdx = columns.map((c, i) => (c.type === 'numeric' ? i : -1)).filter((i) => i >= 0);
    this.num = new Float64Array(kind === 'tabular' ? cap * this.numericIdx.length : 0);
  }

  /** `num` = the row's numeric features (numeric-column order). */
  add(positive: boolean, num: ArrayLike<number> | undefined, text: string | undefined): void {
    const slot = this.slot();
    if (slot < 0) return;
    this.pos[slot] = positive ? 1 : 0;
    if (this.kind === 'text') this.texts[slot] = text!;
    else {
      const k = this.numericIdx.length;
      for (let j = 0; j < k; j++) this.num[slot * k + j] = num![j];
    }
  }

  /** Tabular row given as num[at, at + numeric columns), so callers need no per-row view. */
  addAt(positive: boolean, num: Float64Array, at: number): void {
    const slot = this.slot();
    if (slot < 0) return;
    this.pos[slot] = positive ? 1 : 0;
    const k = this.numericIdx.length;
    const o = slot * k;
    for (let j = 0; j < k; j++) this.num[o + j] = num[at + j];
  }

  /** Reservoir slot for the next row, -1 = not sampled. */
  private slot(): number {
    const t = this.seen++;
    if (t < this.cap) return this.n++;
    const slot = Math.floor(this.rand() * (t + 1));
    return slot >= this.cap ? -1 : slot;
  }

  results(): ShortcutResult[] {
    const n = this.n;
    const out: ShortcutResult[] = [];
    const push = (feature: string, scores: ArrayLike<number>, checkPure = true) => {
      const a = separability(scores, this.pos, n);
      if (a !== a) return;
      const r: ShortcutResult = { feature, auc: Math.round(a * 10000) / 10000, sampled: n };
      if (checkPure) r.pure = pureSplit(scores, this.pos, n);
      out.push(r);
    };
    if (this.kind === 'tabular') {
      const k = this.numericIdx.length;
      const col = new Float64Array(n);
      for (let j = 0; j < k; j++) {
        for (let i = 0; i < n; i++) col[i] = this.num[i * k + j];
        push(this.columns[this.numericIdx[j]].name, col);
      }
    } else {
      const texts = this.texts.slice(0, n);
      push('length', texts.map((s) => s.length));
      if (this.textKind === 'url') push('has-https-scheme', texts.map((s) => (/^https:\/\//i.test(s) ? 1 : 0)));
      push('digit-ratio', texts.map(digitRatio));
      const tk = this.textKind;
      if (tk === 'behaviour' || this.noTld) return out.sort((a, b) => b.auc - a.auc);
      // TLD as a scorer = the positive rate of its TLD (fitted in-sample: an upper bound, which is what a warning wants).
      const tlds = texts.map((s) => tldOf(tk, s));
      const rate = new Map<string, [number, number]>();
      tlds.forEach((t, i) => {
        const r = rate.get(t) ?? [0, 0];
        r[0] += this.pos[i];
        r[1]++;
        rate.set(t, r);
      });
      push('tld', tlds.map((t) => rate.get(t)![0] / rate.get(t)![1]), false);
    }
    return out.sort((a, b) => b.auc - a.auc);
  }
}
