"""Record lines -> (numeric values, categorical values) in the featurizer's column order, as the engine's
readers read them (electron/data/readers/kdd-lines.ts, csv.ts, zeek-conn.ts): KDD'99 / NSL-KDD lines, CSV with a header row, Zeek logs.

Scoring needs no label: a KDD line may carry 41 features, + label (KDD'99 layout) or + label + difficulty
(NSL-KDD layout).
"""
import math

from .jsstr import js_number, js_trim
from .lines import split_csv


def _number(field, name, i):
    v = js_number(field) if field != "" else float("nan")
    if math.isnan(v):
        return None, 'field %d (%s): "%s" is not a number' % (i + 1, name, field[:40] + ("…" if len(field) > 40 else ""))
    return v, None


class KddParser:
    """The 41 KDD features by position; categorical ones are protocol_type, service, flag."""

    def __init__(self, featurizer_columns, kdd_features):
        if [c["name"] for c in featurizer_columns] != list(kdd_features):
            raise ValueError("the featurizer's columns are not the 41 KDD features in file order")
        self.names = list(kdd_features)
        self.is_cat = [c["type"] == "categorical" for c in featurizer_columns]

    def parse(self, text):
        f = text.split(",")
        if len(f) not in (41, 42, 43):
            return "expected 41 to 43 comma-separated fields, got %d" % len(f)
        num, cat = [], []
        for i in range(41):
            s = f[i]
            if self.is_cat[i]:
                if s == "":
                    return "field %d (%s) is empty" % (i + 1, self.names[i])
                cat.append(s)
            else:
                v, err = _number(s, self.names[i], i)
                if err:
                    return err
                num.append(v)
        return num, cat


class FieldParser:
    """CSV (header row) or Zeek (#fields) lines; feature columns found by name, as the engine planned them."""

    def __init__(self, featurizer_columns, names, separator, zeek):
        lower = [n.lower() for n in names]
        self.names = names
        self.separator = separator
        self.zeek = zeek
        self.index = []
        for c in featurizer_columns:
            n = c["name"]
            i = names.index(n) if n in names else (lower.index(n.lower()) if n.lower() in lower else -1)
            if i < 0:
                raise ValueError('no column named "%s" (columns: %s)' % (n, ", ".join(names)))
            self.index.append((i, c["type"] == "categorical"))

    def missing(self, s):
        return s in ("-", "(empty)", "") if self.zeek else js_trim(s) == ""

    def parse(self, text):
        if self.zeek:
            f = text.split(self.separator)
        else:
            f = split_csv(text)
            if isinstance(f, str):
                return f
        if len(f) != len(self.names):
            what = "tab" if self.separator == "\t" else '"%s"' % self.separator
            return "expected %d %s-separated fields, got %d" % (len(self.names), "comma" if not self.zeek else what, len(f))
        num, cat = [], []
        for i, is_cat in self.index:
            s = f[i]
            if is_cat:
                cat.append(s)
            elif self.missing(s):
                num.append(float("nan"))
            else:
                v = js_number(s)
                if math.isnan(v):
                    return 'field %d (%s): "%s" is not a number' % (i + 1, self.names[i], s[:40])
                num.append(v)
        return num, cat


def zeek_header(lines):
    """(names, separator) from a Zeek log's leading '#' lines, or None."""
    sep, names = "\t", None
    for text in lines:
        if not text.startswith("#"):
            break
        if text.startswith("#separator"):
            raw = text[len("#separator"):].strip()
            sep = bytes(raw, "ascii").decode("unicode_escape") if raw else "\t"
        elif text.startswith("#fields"):
            names = text.split(sep)[1:]
    return (names, sep) if names else None
