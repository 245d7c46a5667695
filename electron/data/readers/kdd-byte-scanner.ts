import { FNV_SEED, Interner, hash53, hash53Into } from '../primitives/byte-hash';
import { KDD_CATEGORICAL, KDD_FEATURES } from './kdd-columns';
import { MAX_LINE_BYTES, lineItem, type LineItem, type LineSink } from '../files/line-source';
import { skipLead, type LeadLines, type MalformedLog } from './malformed-lines';
import type { RowParser } from './row-parser';

export interface ScanOptions {
  /** Also fill `t` with the signed log1p of each numeric value (what log1p-zscore fits and encodes). */
  log: boolean;
  /** Fill the duplicate-key hash of each row. */
  hash: boolean;
}

const N_NUM = KDD_FEATURES.filter((n) => !KDD_CATEGORICAL.has(n)).length;
const N_CAT = KDD_FEATURES.length - N_NUM;
const IS_CAT = Uint8Array.from(KDD_FEATURES, (n) => (KDD_CATEGORICAL.has(n) ? 1 : 0));
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Memo of log1p(m / 10^d) for d < 4, m < 2^16: KDD cells are mostly small counts and two-decimal rates. */
const MEMO_M = 1 << 16;

const slog = (v: number) => (v === 0 ? 0 : v > 0 ? Math.log1p(v) : -Math.log1p(-v));

/** The rows of one ~1 MiB chunk, column-packed; reused from chunk to chunk. */
export class CodedBatch {
  n = 0;
  cap = 0;
  readonly nNum = N_NUM;
  readonly nCat = N_CAT;
  line = new Uint32Array(0);
  off = new Float64Array(0);
  /** n × nNum raw values. */
  x = new Float64Array(0);
  /** n × nNum scaled-space values (ScanOptions.log), else the same array as x. */
  t = new Float64Array(0);
  /** n × nCat codes into the scanner's per-column interners. */
  cat = new Uint32Array(0);
  label = new Int32Array(0);
  hi = new Uint32Array(0);
  lo = new Uint32Array(0);
  /** NSL-KDD difficulty (NaN for KDD'99). */
  diff = new Float64Array(0);
  bodies: Buffer[] = [];
  private bi = new Uint8Array(0);
  private bs = new Uint32Array(0);
  private be = new Uint32Array(0);

  constructor(private readonly log: boolean) {
    this.grow(16384);
  }

  grow(cap = this.cap * 2): void {
    const g = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(a: T, w: number, C: { new (n: number): T }): T => {
      const b = new C(cap * w);
      b.set(a as never);
      return b;
    };
    this.line = g(this.line, 1, Uint32Array);
    this.off = g(this.off, 1, Float64Array);
    this.x = g(this.x, N_NUM, Float64Array);
    this.t = this.log ? g(this.t, N_NUM, Float64Array) : this.x;
    this.cat = g(this.cat, N_CAT, Uint32Array);
    this.label = g(this.label, 1, Int32Array);
    this.hi = g(this.hi, 1, Uint32Array);
    this.lo = g(this.lo, 1, Uint32Array);
    this.diff = g(this.diff, 1, Float64Array);
    this.bi = g(this.bi, 1, Uint8Array);
    this.bs = g(this.bs, 1, Uint32Array);
    this.be = g(this.be, 1, Uint32Array);
    this.cap = cap;
  }

  reset(): void {
    this.n = 0;
    this.bodies = [];
  }

  /** Where row r's line lies in the chunk (for reports that need its text). */
  place(r: number, body: number, s: number, e: number): void {
    this.bi[r] = body;
    this.bs[r] = s;
    this.be[r] = e;
  }

  /**
   * When the line at body[s] is byte-identical to the line of row r - 1 (same chunk), copies that row
   * to row r and returns the line's end; -1 otherwise. The same bytes always parse to the same row,
   * and KDD files repeat the previous line about 45% of the time.
   */
  repeat(body: Buffer, bodyIdx: number, s: number, r: number): number {
    if (r === 0 || this.bi[r - 1] !== bodyIdx) return -1;
    const ps = this.bs[r - 1];
    const len = this.be[r - 1] - ps;
    const e = s + len;
    const L = body.length;
    if (e > L || (e < L && body[e] !== 10)) return -1;
    for (let j = 0; j < len; j++) if (body[s + j] !== body[ps + j]) return -1;
    const q = r - 1;
    const x = this.x;
    for (let k = r * N_NUM, j = q * N_NUM; j < r * N_NUM; k++, j++) x[k] = x[j];
    if (this.t !== x) {
      const t = this.t;
      for (let k = r * N_NUM, j = q * N_NUM; j < r * N_NUM; k++, j++) t[k] = t[j];
    }
    for (let k = 0; k < N_CAT; k++) this.cat[r * N_CAT + k] = this.cat[q * N_CAT + k];
    this.label[r] = this.label[q];
    this.hi[r] = this.hi[q];
    this.lo[r] = this.lo[q];
    this.diff[r] = this.diff[q];
    return e;
  }

  /** Row r's line exactly as the string path would give it (DataRecord.raw). */
  text(r: number): string {
    return lineItem(this.bodies[this.bi[r]], this.bs[r], this.be[r], 0, 0).text;
  }
}

/**
 * KDD'99 / NSL-KDD lines parsed straight from the decompressed bytes: numbers without substrings,
 * categories and labels by interned code, the duplicate hash over the raw key bytes. Any line that is
 * not plain (bad field count, non-ASCII, odd number syntax, ...) goes through the string parser, so
 * results and error messages are those of the record path.
 */
export class KddScanner implements LineSink {
  readonly cats: Interner[] = Array.from({ length: N_CAT }, () => new Interner());
  readonly labels = new Interner();
  readonly batch: CodedBatch;
  private readonly memo: Float64Array;
  private readonly tmp = new Float64Array(N_NUM);
  private readonly nsl: boolean;

  constructor(
    private readonly parser: RowParser,
    private readonly log: MalformedLog,
    private readonly opts: ScanOptions,
    private readonly lead?: LeadLines,
  ) {
    this.nsl = parser.schema.format === 'nsl-kdd';
    this.batch = new CodedBatch(opts.log);
    this.memo = new Float64Array(opts.log ? 4 * MEMO_M : 0).fill(NaN);
  }

  bad(it: LineItem): void {
    this.log.add(it.n, it.error!, it.text);
  }

  lines(body: Buffer, line0: number, off: number): number {
    const b = this.batch;
    const bi = b.bodies.push(body) - 1;
    const L = body.length;
    let n = line0;
    let s = 0;
    for (;;) {
      n++;
      if (this.lead && n < this.lead.until) {
        // Lines above the first line detection read (an over-long first line, comments): never rows.
        let e = body.indexOf(10, s);
        if (e < 0) e = L;
        const it = lineItem(body, s, e, n, off + s);
        if (it.error !== undefined) this.log.add(n, it.error, it.text);
        else skipLead(this.log, this.lead, n, it.text);
        if (e >= L) break;
        s = e + 1;
        continue;
      }
      if (b.n === b.cap) b.grow();
      const r = b.n;
      let e = b.repeat(body, bi, s, r);
      if (e < 0) e = this.fast(body, s, L, r);
      if (e < 0) {
        e = body.indexOf(10, s);
        if (e < 0) e = L;
        if (!this.slow(body, s, e, n, off + s)) {
          if (e >= L) break;
          s = e + 1;
          continue;
        }
      }
      b.line[r] = n;
      b.off[r] = off + s;
      b.place(r, bi, s, e);
      b.n++;
      if (e >= L) break;
      s = e + 1;
    }
    return n - line0;
  }

  /**
   * Parses the plain line starting at body[s] into batch row r and returns where it ends (its '\n' or
   * L); -1 = not plain, nothing usable written (the caller takes the string path).
   */
  private fast(body: Buffer, s: number, L: number, r: number): number {
    const b = this.batch;
    const { cats, memo, nsl } = this;
    const log = this.opts.log;
    const x = b.x;
    const t = b.t;
    const cat = b.cat;
    let i = s;
    let xo = r * N_NUM;
    let kc = 0;
    for (let f = 0; f < 41; f++) {
      if (IS_CAT[f] === 1) {
        const a = i;
        let h = FNV_SEED;
        for (; i < L; i++) {
          const c = body[i];
          if (c === 44) break;
          if (c === 10 || c === 0 || c > 127) return -1;
          h = Math.imul(h ^ c, 16777619);
        }
        if (i >= L || i === a) return -1;
        cat[r * N_CAT + kc] = cats[kc].bytes(body, a, i, h);
        kc++;
      } else {
        let neg = false;
        if (body[i] === 45) {
          neg = true;
          i++;
        }
        let m = 0;
        let digits = 0;
        let dot = -1;
        for (; i < L; i++) {
          const c = body[i];
          if (c === 44) break;
          const d = c - 48;
          if (d >= 0 && d <= 9) {
            m = m * 10 + d;
            digits++;
          } else if (c === 46 && dot < 0) dot = i;
          else return -1;
        }
        if (i >= L || digits === 0 || digits > 15) return -1;
        // M / 10^k with M < 2^53 is one correctly rounded division: bit-identical to Number(s).
        const fr = dot < 0 ? 0 : i - dot - 1;
        let v = dot < 0 ? m : m / POW10[fr];
        if (neg) v = -v;
        x[xo] = v;
        if (log) {
          if (!neg && fr < 4 && m < MEMO_M) {
            const q = (fr << 16) | m;
            let u = memo[q];
            if (u !== u) memo[q] = u = slog(v);
            t[xo] = u;
          } else t[xo] = slog(v);
        }
        xo++;
      }
      i++;
    }
    const keyEnd = i - 1;
    const a = i;
    for (; i < L; i++) {
      const c = body[i];
      if (c === 10 || c === 44) break;
      if (c === 0 || c > 127) return -1;
    }
    let end = i;
    let diff = NaN;
    if (nsl) {
      if (i >= L || body[i] !== 44) return -1;
      i++;
      let d = 0;
      let digits = 0;
      for (; i < L; i++) {
        const c = body[i] - 48;
        if (c >= 0 && c <= 9) {
          d = d * 10 + c;
          digits++;
        } else break;
      }
      if (i < L && body[i] === 13 && (i + 1 === L || body[i + 1] === 10)) i++;
      if ((i < L && body[i] !== 10) || digits === 0 || digits > 15 || d > 21) return -1;
      diff = d;
    } else {
      if (i < L && body[i] === 44) return -1;
      if (end > a && body[end - 1] === 13) end--;
    }
    if (end > a && body[end - 1] === 46) end--;
    if (end === a || i - s > MAX_LINE_BYTES) return -1;
    let h = FNV_SEED;
    for (let j = a; j < end; j++) h = Math.imul(h ^ body[j], 16777619);
    b.label[r] = this.labels.bytes(body, a, end, h);
    if (this.opts.hash) hash53Into(body, s, keyEnd, b.hi, b.lo, r);
    b.diff[r] = diff;
    return i;
  }

  /** The string path for one line; true when it yielded a row (written at batch.n). */
  private slow(body: Buffer, s: number, e: number, n: number, off: number): boolean {
    const it = lineItem(body, s, e, n, off);
    if (it.error !== undefined) {
      this.log.add(n, it.error, it.text);
      return false;
    }
    if (this.parser.skip(it.text, n)) {
      this.log.skip(it.text.trim() === '' ? 'blank' : 'comment');
      return false;
    }
    const p = this.parser.parse(it.text, this.tmp, 0);
    if (typeof p === 'string') {
      this.log.add(n, p, it.text);
      return false;
    }
    const b = this.batch;
    const r = b.n;
    for (let k = 0; k < N_NUM; k++) {
      const v = this.tmp[k];
      b.x[r * N_NUM + k] = v;
      if (this.opts.log) b.t[r * N_NUM + k] = slog(v);
    }
    for (let k = 0; k < N_CAT; k++) b.cat[r * N_CAT + k] = this.cats[k].string(p.cat![k]);
    b.label[r] = this.labels.string(p.label!);
    const h = hash53(p.key);
    b.hi[r] = Math.floor(h / 4294967296);
    b.lo[r] = h >>> 0;
    const d = p.meta?.difficulty;
    b.diff[r] = typeof d === 'number' ? d : NaN;
    return true;
  }
}
