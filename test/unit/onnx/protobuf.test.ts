import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from '../../../electron/onnx/protobuf';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('fields encode as the protobuf encoding guide spells them', () => {
  // developers.google.com/protocol-buffers/docs/encoding: field 1 = 150 → 08 96 01; field 2 = "testing" → 12 07 74 65 73 74 69 6e 67.
  assert.equal(hex(new ProtoWriter().int(1, 150).finish()), '089601');
  assert.equal(hex(new ProtoWriter().string(2, 'testing').finish()), '120774657374696e67');
  // Packed repeated field 4 = [3, 270, 86942] → 22 06 03 8e 02 9e a7 05.
  assert.equal(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish()), '2206038e029ea705');
  // An int64 of −1 is ten bytes of two's complement; a float is fixed32 little-endian (1.0 = 0x3f800000).
  assert.equal(hex(new ProtoWriter().int(1, -1).finish()), '08ffffffffffffffffff01');
  assert.equal(hex(new ProtoWriter().float(2, 1).finish()), '150000803f');
  // Nested message: field 3 holding field 1 = 150 → 1a 03 08 96 01.
  assert.equal(hex(new ProtoWriter().message(3, (w) => w.int(1, 150)).finish()), '1a03089601');
});

test('long writes survive buffer growth byte for byte', () => {
  const w = new ProtoWriter();
  const expected: number[] = [];
  for (let i = 0; i < 5000; i++) {
    w.int(1, i);
    expected.push(0x08);
    let v = i;
    while (v >= 0x80) {
      expected.push((v & 0x7f) | 0x80);
      v >>= 7;
    }
    expected.push(v);
  }
  assert.deepEqual([...w.finish()], expected);
});
