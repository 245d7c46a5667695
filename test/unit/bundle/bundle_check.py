"""Test harness: encodes and scores one input file with a bundle's Python scorer, the way score_ray.py reads
lines, and writes what it got as raw little-endian arrays for the TypeScript test to compare with the engine.

    python bundle_check.py BUNDLE INPUT OUTDIR
OUTDIR/lines.i32 (line numbers of scored rows), x.bin (int32 ids or float32 features), proba.f32, info.json.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
from deeptriage_scorer import load  # noqa: E402
from deeptriage_scorer.lines import UrlLineParser, read_lines  # noqa: E402

bundle_dir, path, out = sys.argv[1:4]
b = load(bundle_dir)
lines, values, skipped = [], [], {}
numbered = list(read_lines(path))
if b.kind == "records":
    parser = b.record_parser()
    num, cat = [], []
    for n, text, err in numbered:
        if err is not None or text == "":
            continue
        parsed = parser.parse(text)
        if isinstance(parsed, str):
            skipped[parsed] = skipped.get(parsed, 0) + 1
            continue
        lines.append(n)
        num.append(parsed[0])
        cat.append(parsed[1])
    x = b.encoder.encode_parts(np.array(num, dtype=np.float64).reshape(len(lines), len(b.encoder.numeric)), cat)
else:
    p = UrlLineParser()
    texts = []
    for n, text, err in numbered:
        if err is not None:
            continue
        kind, v = p.parse(text)
        if kind != "url":
            skipped[kind if v is None else v] = skipped.get(kind if v is None else v, 0) + 1
            continue
        t, err = b.prepare_text(v)
        if err:
            skipped[err] = skipped.get(err, 0) + 1
            continue
        lines.append(n)
        texts.append(t)
    x = b.encode(texts) if b.text_kind != "domain" else b.encoder.encode(texts)
r = b.predict(x)
os.makedirs(out, exist_ok=True)
np.asarray(lines, dtype="<i4").tofile(os.path.join(out, "lines.i32"))
x.astype(x.dtype.newbyteorder("<")).tofile(os.path.join(out, "x.bin"))
r.astype("<f4").tofile(os.path.join(out, "proba.f32"))
with open(os.path.join(out, "info.json"), "w") as f:
    json.dump({"rows": len(lines), "width": int(x.shape[1]), "dtype": str(x.dtype), "skipped": skipped, "classes": b.classes}, f)
