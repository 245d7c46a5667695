/**
 * The little of the protobuf wire format an ONNX file needs: varints, 32-bit floats and length-delimited
 * fields. Written by hand so exporting a model adds no dependency; tested against bytes from the spec.
 */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.slice(0, this.pos));
    this.pos = 0;
  }

  /** Unsigned or non-negative varint; negative int64 values take the ten-byte two's-complement form. */
  varint(v: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
    return this;
  }

  private tag(field: number, wire: 0 | 2 | 5): this {
    return this.varint((field << 3) | wire);
  }

  bytes(b: Uint8Array): this {
    this.flush();
    this.chunks.push(b);
    return this;
  }

  // ---- fields ----
  int(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  string(field: number, s: string): this {
    return this.lengthDelimited(field, new TextEncoder().encode(s));
  }

  lengthDelimited(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.byteLength);
    return this.bytes(b);
  }

  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.lengthDelimited(field, inner.finish());
  }

  /** Repeated integers, packed (parsers accept packed and unpacked alike for scalar fields). */
  packedInts(field: number, vs: readonly (number | bigint)[]): this {
    if (vs.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of vs) inner.varint(v);
    return this.lengthDelimited(field, inner.finish());
  }

  packedFloats(field: number, vs: ArrayLike<number>): this {
    if (vs.length === 0) return this;
    const f = Float32Array.from(vs);
    return this.lengthDelimited(field, new Uint8Array(f.buffer));
  }

  finish(): Uint8Array {
    this.flush();
    const n = this.chunks.reduce((a, c) => a + c.byteLength, 0);
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }
}
