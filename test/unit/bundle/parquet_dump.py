"""Test harness: a score_ray.py Parquet output folder -> lines.i32 and scores.f32 sorted by line, info.json."""
import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq

src, out = sys.argv[1:3]
t = pq.read_table(src).to_pandas().sort_values("line")
os.makedirs(out, exist_ok=True)
t["line"].to_numpy().astype("<i4").tofile(os.path.join(out, "lines.i32"))
t["score"].to_numpy().astype("<f4").tofile(os.path.join(out, "scores.f32"))
with open(os.path.join(out, "info.json"), "w") as f:
    json.dump({"rows": len(t), "errors": int(t["error"].notna().sum()), "predictedClasses": sorted(set(t["predicted"].dropna()))}, f)
