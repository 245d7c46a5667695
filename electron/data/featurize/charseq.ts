import { normalizeDomain } from '../domains/normalize-domain';
import { stripPublicSuffix } from '../domains/public-suffix';

export const CHAR_VOCAB_SIZE = 97;

/**
 * Character ids: 0 = padding, 1 = unknown (non-printable or non-ASCII), printable ASCII 32..126 → 2..96.
 * Rows are right-padded with 0.
 */
export interface CharSeqJSON {
  kind: 'charseq';
  version: 1;
  vocabSize: 97;
  maxLength: number;
  /** 'right' cuts the end (keeps the start); 'left' cuts the start (keeps the end, e.g. the TLD). */
  truncate: 'left' | 'right';
  /** Removes a leading `scheme://` and then a leading `www.` (one switch: both are shortcut-prone). */
  stripScheme: boolean;
  /** Domains: cut the public suffix and a leading `www.` (domains/public-suffix.ts). Absent = false (older encoders). */
  stripPublicSuffix?: boolean;
  padding: 'right';
}

/** Defaults per text kind: URLs 75 keeping the start, domains 64 keeping the end (the TLD), behaviour strings 100 keeping the start. */
export function charSeqSpec(
  opts: { maxLength?: number; truncate?: 'left' | 'right'; stripScheme?: boolean; stripPublicSuffix?: boolean },
  textKind: 'url' | 'domain' | 'behaviour',
): CharSeqJSON {
  const maxLength = opts.maxLength ?? (textKind === 'url' ? 75 : textKind === 'behaviour' ? 100 : 64);
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error(`maxLength must be a positive integer, got ${maxLength}`);
  return {
    kind: 'charseq',
    version: 1,
    vocabSize: CHAR_VOCAB_SIZE,
    maxLength,
    truncate: opts.truncate ?? (textKind === 'domain' ? 'left' : 'right'),
    stripScheme: opts.stripScheme ?? false,
    // Only written when on, so encoders fitted before the option existed keep the same JSON.
    ...(opts.stripPublicSuffix && textKind === 'domain' ? { stripPublicSuffix: true } : {}),
    padding: 'right',
  };
}

export function stripUrlScheme(s: string): string {
  return s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '');
}

export class CharSeqEncoder {
  readonly dim: number;
  constructor(readonly json: CharSeqJSON) {
    if (json.kind !== 'charseq' || json.version !== 1 || json.vocabSize !== CHAR_VOCAB_SIZE) throw new Error('not a version-1 charseq encoder');
    this.dim = json.maxLength;
  }

  prepare(text: string): string {
    let t = this.json.stripScheme ? stripUrlScheme(text) : text;
    if (this.json.stripPublicSuffix) {
      // Imported rows are normalised already; scans and free text may not be.
      const d = normalizeDomain(t);
      t = stripPublicSuffix(typeof d === 'string' ? d : t.trim().toLowerCase());
    }
    if (t.length <= this.dim) return t;
    return this.json.truncate === 'right' ? t.slice(0, this.dim) : t.slice(t.length - this.dim);
  }

  /** Writes one row; `out` must be zero in [offset, offset + dim). */
  encodeInto(text: string, out: Int32Array, offset: number): void {
    const t = this.prepare(text);
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      out[offset + i] = c >= 32 && c <= 126 ? c - 30 : 1;
    }
  }

  encode(text: string): Int32Array {
    const out = new Int32Array(this.dim);
    this.encodeInto(text, out, 0);
    return out;
  }
}
