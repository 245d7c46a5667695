"""Character ids as electron/data/featurize/charseq.ts writes them.

0 = padding, 1 = unknown (non-printable or non-ASCII), printable ASCII 32..126 -> 2..96, rows right-padded.
Lengths, cuts and ids are in UTF-16 code units, as in JavaScript: a character outside the BMP is two
unknown ids, exactly as the engine sees it.
"""
import re

import numpy as np

from .domain import PublicSuffixes, normalize_domain
from .jsstr import js_trim

_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.I | re.A)
_WWW = re.compile(r"www\.", re.I | re.A)

# id of every UTF-16 code unit 0..65535
_IDS = np.ones(65536, dtype=np.int32)
_IDS[32:127] = np.arange(32, 127, dtype=np.int32) - 30


def strip_url_scheme(s):
    m = _SCHEME.match(s)
    if m:
        s = s[m.end():]
    return s[4:] if _WWW.match(s) else s


class CharSeqEncoder:
    def __init__(self, spec, public_suffixes=None):
        if spec.get("kind") != "charseq" or spec.get("version") != 1 or spec.get("vocabSize") != 97:
            raise ValueError("not a version-1 charseq encoder: %r" % {k: spec.get(k) for k in ("kind", "version", "vocabSize")})
        if spec.get("padding", "right") != "right" or spec.get("truncate") not in ("left", "right"):
            raise ValueError("unsupported charseq padding/truncation: %r" % spec)
        self.dim = int(spec["maxLength"])
        self.keep_start = spec["truncate"] == "right"
        self.strip_scheme = bool(spec.get("stripScheme"))
        self.strip_suffix = bool(spec.get("stripPublicSuffix"))
        if self.strip_suffix:
            if public_suffixes is None:
                raise ValueError("this encoder cuts public suffixes, but the bundle carries no public-suffix list")
            self.suffixes = PublicSuffixes(public_suffixes)

    def prepare(self, text):
        """The text the model reads, before the cut to maxLength (a Python str)."""
        t = strip_url_scheme(text) if self.strip_scheme else text
        if self.strip_suffix:
            d, _ = normalize_domain(t)
            t = self.suffixes.strip(d if d is not None else js_trim(t).lower())
        return t

    def units(self, text):
        """UTF-16 code units of the prepared text, cut to maxLength on the configured side."""
        t = self.prepare(text)
        if t.isascii():
            u = np.frombuffer(t.encode("ascii"), dtype=np.uint8)
        else:
            u = np.frombuffer(t.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        if len(u) > self.dim:
            u = u[: self.dim] if self.keep_start else u[len(u) - self.dim:]
        return u

    def encode(self, texts):
        """int32 [len(texts), maxLength]."""
        out = np.zeros((len(texts), self.dim), dtype=np.int32)
        for i, text in enumerate(texts):
            u = self.units(text)
            out[i, : len(u)] = _IDS[u]
        return out
