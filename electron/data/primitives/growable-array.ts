type TA = Float64Array | Float32Array | Int32Array | Uint32Array;
type Ctor<T extends TA> = { new (n: number): T };

/** Append-only typed array; `view()` is a zero-copy view of the filled part. */
export class Grow<T extends TA> {
  buf: T;
  length = 0;
  constructor(
    private readonly ctor: Ctor<T>,
    capacity: number,
    private readonly width = 1,
  ) {
    this.buf = new ctor(Math.max(16, capacity) * width);
  }
  /** Makes room for one more item of `width` slots and returns its start index. */
  next(): number {
    const at = this.length * this.width;
    if (at + this.width > this.buf.length) {
      const b = new this.ctor(Math.ceil((this.buf.length / this.width) * 1.5 + 16) * this.width);
      b.set(this.buf as never);
      this.buf = b;
    }
    this.length++;
    return at;
  }
  push(x: number): void {
    // next() may swap in a larger buffer, so it must run before this.buf is read.
    const at = this.next();
    this.buf[at] = x;
  }
  view(): T {
    return this.buf.subarray(0, this.length * this.width) as T;
  }
}
