import fs from 'node:fs';

/** The first `maxChars` characters of the raw lines at these byte offsets, through one open file handle. */
export async function readRawPrefixes(rawPath: string, offsets: ArrayLike<number>, maxChars: number): Promise<string[]> {
  const fh = await fs.promises.open(rawPath, 'r');
  try {
    const buf = Buffer.alloc(maxChars * 4 + 4);
    const out: string[] = [];
    for (let i = 0; i < offsets.length; i++) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, offsets[i]);
      let b = buf.subarray(0, bytesRead);
      const nl = b.indexOf(10);
      if (nl >= 0) b = b.subarray(0, nl);
      let s = b.toString('utf8');
      if (s.endsWith('\r')) s = s.slice(0, -1);
      out.push(s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s);
    }
    return out;
  } finally {
    await fh.close();
  }
}
