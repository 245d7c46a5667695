"""Record features as electron/data/featurize/tabular.ts writes them.

Columns in the fitted order; numeric: signed log1p then z-score ('log1p-zscore') or min-max ('minmax'),
a missing value (NaN) gets the column's fill; categorical: one slot per known category (sorted as fitted)
plus a last slot for anything unknown. Arithmetic in float64, stored as float32, as the engine does.
"""
import numpy as np


class TabularEncoder:
    def __init__(self, spec):
        if spec.get("kind") != "tabular" or spec.get("version") != 1:
            raise ValueError("not a version-1 tabular featurizer")
        if spec["scaling"] not in ("log1p-zscore", "minmax"):
            raise ValueError("unknown scaling %r" % spec["scaling"])
        self.log = spec["scaling"] == "log1p-zscore"
        self.columns = spec["columns"]
        self.names = [c["name"] for c in self.columns]
        self.numeric = [j for j, c in enumerate(self.columns) if c["type"] == "numeric"]
        self.categorical = [j for j, c in enumerate(self.columns) if c["type"] == "categorical"]
        offsets, dim = [], 0
        for c in self.columns:
            offsets.append(dim)
            dim += 1 if c["type"] == "numeric" else len(c["categories"]) + 1
        if dim != spec["outputDim"]:
            raise ValueError("featurizer JSON is inconsistent: outputDim %d, columns give %d" % (spec["outputDim"], dim))
        self.dim = dim
        nums = [self.columns[j] for j in self.numeric]
        self.num_offsets = np.array([offsets[j] for j in self.numeric], dtype=np.int64)
        self.a = np.array([c["mean"] if self.log else c["min"] for c in nums], dtype=np.float64)
        self.b = np.array([(c["std"] if c["std"] > 0 else 1.0) if self.log else c["max"] - c["min"] for c in nums], dtype=np.float64)
        self.fill = np.array([c["fill"] for c in nums], dtype=np.float64)
        self.cat_offsets = [offsets[j] for j in self.categorical]
        self.cat_index = [{k: i for i, k in enumerate(self.columns[j]["categories"])} for j in self.categorical]

    def scale(self, num):
        """num: float64 [rows, numeric columns] (NaN = missing) -> scaled float64."""
        x = np.asarray(num, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.log:
                t = np.where(x == 0, 0.0, np.sign(x) * np.log1p(np.abs(x)))
                y = (t - self.a) / self.b
            else:
                y = np.where(self.b > 0, (x - self.a) / np.where(self.b > 0, self.b, 1.0), 0.0)
        return np.where(np.isnan(x), self.fill, y)

    def encode_parts(self, num, cat):
        """num: [rows, numeric columns] floats; cat: rows of categorical strings, in column order."""
        rows = len(cat) if len(self.categorical) else len(num)
        out = np.zeros((rows, self.dim), dtype=np.float32)
        if len(self.numeric):
            out[:, self.num_offsets] = self.scale(np.asarray(num, dtype=np.float64).reshape(rows, len(self.numeric)))
        for k, (off, index) in enumerate(zip(self.cat_offsets, self.cat_index)):
            unknown = len(index)
            slots = np.fromiter((index.get(r[k], unknown) for r in cat), dtype=np.int64, count=rows)
            out[np.arange(rows), off + slots] = 1.0
        return out

    def encode(self, rows):
        """rows: sequences aligned with the featurizer's columns (numbers for numeric, strings for categorical)."""
        num = [[float(r[j]) for j in self.numeric] for r in rows]
        cat = [[str(r[j]) for j in self.categorical] for r in rows]
        return self.encode_parts(np.array(num, dtype=np.float64).reshape(len(rows), len(self.numeric)), cat)
