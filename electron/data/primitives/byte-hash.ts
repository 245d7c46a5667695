/**
 * Byte-level building blocks for the fast readers: the duplicate hash over raw line bytes and a
 * string interner that finds a field's code from its bytes without building a string.
 */

/** 53-bit string hash (cyrb53-style finaliser, cheaper inner loop); collisions among 10^6 rows are ~1e-4 likely, fine for a duplicate count. */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = (Math.imul(h2, 31) + ch) | 0; // = (h2 * 31 + ch) | 0: h2 * 31 is exact in a double
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Set of hash53 values in two typed arrays (open addressing): no boxed doubles, no per-entry objects. */
export class HashSet53 {
  /** hi + 1 (hi < 2^21, so 0 marks an empty slot). */
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.mask = n - 1;
  }

  /** `hi` = the top 21 bits of the 53-bit value, `lo` = the low 32 bits. */
  add(hi: number, lo: number): void {
    const h1 = hi + 1;
    const H = this.hi;
    const mask = this.mask;
    // lo is already a well-mixed murmur-style finaliser output, so its low bits index the table.
    let i = lo & mask;
    for (;;) {
      const x = H[i];
      if (x === 0) break;
      if (x === h1 && this.lo[i] === lo) return;
      i = (i + 1) & mask;
    }
    H[i] = h1;
    this.lo[i] = lo >>> 0;
    if (++this.size * 2 > mask) this.grow();
  }

  addNumber(h: number): void {
    this.add(Math.floor(h / 4294967296), h >>> 0);
  }

  private grow(): void {
    const oh = this.hi;
    const ol = this.lo;
    const n = oh.length * 2;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.mask = n - 1;
    this.size = 0;
    for (let i = 0; i < oh.length; i++) if (oh[i] !== 0) this.add(oh[i] - 1, ol[i]);
  }
}

/** hash53 of the bytes b[s, e), equal to hash53 of the same text when it is ASCII; written as (hi, lo) at `at`. */
export function hash53Into(b: Uint8Array, s: number, e: number, hi: Uint32Array, lo: Uint32Array, at: number): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = s; i < e; i++) {
    const ch = b[i];
    h1 = Math.imul(h1 ^ ch, 2654435761);
    // = (h2 * 31 + ch) | 0 of hash53 (h2 * 31 is exact in a double), in integer ops.
    h2 = (Math.imul(h2, 31) + ch) | 0;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  hi[at] = h2 & 2097151;
  lo[at] = h1;
}

/** FNV-1a step; callers fold it over a field's bytes while they scan for the delimiter. */
export const FNV_SEED = 0x811c9dc5 | 0;
export const fnv = (h: number, c: number) => Math.imul(h ^ c, 16777619);

/**
 * Small strings (categories, labels) ↔ dense codes, in first-seen order. ASCII fields are looked up
 * from their bytes (the string is built once, on first sight); anything else comes in as a string.
 */
export class Interner {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  private slots = new Int32Array(64);
  private hashes = new Int32Array(16);
  private starts = new Uint32Array(16);
  private lens = new Uint32Array(16);
  private pool = new Uint8Array(1024);
  private poolAt = 0;

  get size(): number {
    return this.names.length;
  }

  /** Code of the ASCII bytes b[s, e), whose FNV-1a hash (from FNV_SEED) is h. */
  bytes(b: Uint8Array, s: number, e: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = e - s;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = slots[i] - 1;
      if (c < 0) return this.addBytes(b, s, e, h);
      if (this.hashes[c] === h && this.lens[c] === len) {
        const p = this.pool;
        let q = this.starts[c];
        let j = s;
        while (j < e && p[q] === b[j]) {
          q++;
          j++;
        }
        if (j === e) return c;
      }
    }
  }

  /** Code of a string (the string path, and non-ASCII values). */
  string(s: string): number {
    let c = this.byName.get(s);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(s);
      this.byName.set(s, c);
    }
    return c;
  }

  private addBytes(b: Uint8Array, s: number, e: number, h: number): number {
    // latin1 = the text itself for ASCII; the string may already have a code from the string path.
    const c = this.string(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'));
    const len = e - s;
    if (c >= this.hashes.length) {
      const n = Math.max(c + 1, this.hashes.length * 2);
      this.hashes = grown(this.hashes, new Int32Array(n));
      this.starts = grown(this.starts, new Uint32Array(n));
      this.lens = grown(this.lens, new Uint32Array(n));
    }
    if (this.poolAt + len > this.pool.length) this.pool = grown(this.pool, new Uint8Array(Math.max(this.pool.length * 2, this.poolAt + len)));
    this.pool.set(b.subarray(s, e), this.poolAt);
    this.hashes[c] = h;
    this.starts[c] = this.poolAt;
    this.lens[c] = len;
    this.poolAt += len;
    this.insert(c, h);
    if ((this.names.length + 1) * 2 > this.slots.length) this.rehash();
    return c;
  }

  private insert(c: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = c + 1;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.insert(old[i] - 1, this.hashes[old[i] - 1]);
  }
}

function grown<T extends Uint8Array | Int32Array | Uint32Array>(a: T, b: T): T {
  b.set(a as never);
  return b;
}

/** Append-only per-code counter that remembers first-seen order (Map insertion order, without the Map). */
export class CodeCounts {
  count = new Float64Array(16);
  readonly order: number[] = [];
  add(code: number, by = 1): void {
    if (code >= this.count.length) {
      const n = new Float64Array(Math.max(code + 1, this.count.length * 2));
      n.set(this.count);
      this.count = n;
    }
    if (this.count[code] === 0) this.order.push(code);
    this.count[code] += by;
  }
}
