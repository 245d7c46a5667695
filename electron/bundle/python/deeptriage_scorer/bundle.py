"""A DeepTriage scoring bundle: bundle.json (what it is), encoding.json (how rows are encoded), model.onnx.

    from deeptriage_scorer import load
    b = load("path/to/bundle")
    ids = b.encode(["http://example.com/login"])        # what the model reads
    r = b.score(["http://example.com/login"])           # classes, probabilities, predicted, score
"""
import hashlib
import json
import os

import numpy as np

from .behaviour import behaviour_strings
from .charseq import CharSeqEncoder
from .domain import normalize_domain
from .records import FieldParser, KddParser, zeek_header
from .tabular import TabularEncoder

FORMAT = "deeptriage-scoring-bundle"
# Bundle layouts this scorer reads. A bundle written by a newer DeepTriage with another layout is refused.
SUPPORTED_FORMAT_VERSIONS = (1,)
SCORER_VERSION = 1


class BundleError(Exception):
    """The bundle cannot be used by this scorer; the message says why and what to do."""


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def _read_json(path, what):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise BundleError("%s: missing (%s); is this a DeepTriage scoring bundle folder?" % (path, what)) from None
    except ValueError as e:
        raise BundleError("%s: not valid JSON (%s)" % (path, e)) from None


def load(directory, verify=True, threads=1):
    return Bundle(directory, verify=verify, threads=threads)


class Bundle:
    def __init__(self, directory, verify=True, threads=1):
        self.dir = os.path.abspath(directory)
        m = _read_json(os.path.join(self.dir, "bundle.json"), "the bundle manifest")
        if not isinstance(m, dict) or m.get("format") != FORMAT:
            raise BundleError("%s: not a DeepTriage scoring bundle (format %r, expected %r)" % (os.path.join(self.dir, "bundle.json"), m.get("format") if isinstance(m, dict) else None, FORMAT))
        v = m.get("formatVersion")
        if v not in SUPPORTED_FORMAT_VERSIONS:
            raise BundleError(
                "bundle format version %r (written by DeepTriage %s) is not one this scorer reads (versions %s): "
                "use the deeptriage_scorer package shipped inside that bundle, or export the run again with this DeepTriage"
                % (v, m.get("deeptriageVersion", "?"), ", ".join(map(str, SUPPORTED_FORMAT_VERSIONS)))
            )
        self.manifest = m
        files = m["files"]
        enc_path = os.path.join(self.dir, files["encoding"])
        self.model_path = os.path.join(self.dir, files["model"])
        if verify:
            for path, want, what in ((enc_path, m["encodingHash"], "encoding"), (self.model_path, m["modelHash"], "model")):
                if not os.path.exists(path):
                    raise BundleError("%s: missing (the bundle's %s)" % (path, what))
                got = _sha256(path)
                if got != want:
                    raise BundleError("%s: %s hash %s does not match the manifest's %s: the file was changed after export" % (path, what, got, want))
        self.encoding = _read_json(enc_path, "the encoding")
        self.run_id = m["runId"]
        self.model_id = m["modelId"]
        self.classes = list(m["classes"])
        self.normal_index = m.get("normalClassIndex")
        self.input_name = m["input"]["name"]
        self.input_dtype = np.int32 if m["input"]["dtype"] == "int32" else np.float32
        self.width = int(m["input"]["width"])
        self.threads = threads
        self._session = None
        self._build_encoder()

    # ---- encoding -------------------------------------------------------------------------------------
    def _build_encoder(self):
        e = self.encoding
        self.kind = e["kind"]
        f = e["featurizer"]
        if self.kind in ("text", "behaviour"):
            if f.get("kind") != "charseq":
                raise BundleError("encoding kind %r needs a charseq featurizer, got %r" % (self.kind, f.get("kind")))
            self.text_kind = e["textKind"]
            self.encoder = CharSeqEncoder(f, e.get("publicSuffixes"))
        elif self.kind == "records":
            if f.get("kind") != "tabular":
                raise BundleError("records need a tabular featurizer, got %r" % f.get("kind"))
            self.encoder = TabularEncoder(f)
            self.record_format = e["recordFormat"]
        else:
            raise BundleError("encoding kind %r is not one this scorer knows (text, behaviour, records)" % self.kind)
        if self.encoder.dim != self.width:
            raise BundleError("encoding gives %d inputs but the model takes %d" % (self.encoder.dim, self.width))

    def prepare_text(self, text):
        """A URL / domain / behaviour string as the engine stores it before encoding; (text, None) or (None, reason).
        Domains are normalised as the engine's import does (trimmed, lower-cased, punycode)."""
        if self.kind == "text" and self.text_kind == "domain":
            return normalize_domain(text)
        return text, None

    def record_parser(self, header_lines=None):
        """A line parser for records: KDD lines need none; CSV needs its header line; Zeek its '#' lines."""
        cols = self.encoder.columns
        fmt = self.record_format
        if fmt in ("kdd99", "nsl-kdd"):
            return KddParser(cols, self.encoding["kddFeatures"])
        if fmt == "zeek":
            z = zeek_header(header_lines or [])
            if not z:
                raise BundleError("a Zeek log needs its #fields header line")
            return FieldParser(cols, z[0], z[1], zeek=True)
        if fmt == "csv":
            if not header_lines:
                raise BundleError("a CSV needs its header row")
            from .lines import split_csv

            names = split_csv(header_lines[0])
            if isinstance(names, str):
                raise BundleError("header row: " + names)
            return FieldParser(cols, names, ",", zeek=False)
        raise BundleError("records format %r is not one this scorer reads" % fmt)

    def behaviour(self, numbered_lines, names, separator="\t"):
        """conn.log data lines [(line, text)] -> [(first line, tuple, behaviour string)]."""
        if self.kind != "behaviour":
            raise BundleError("this bundle's model does not read behaviour strings")
        return behaviour_strings(numbered_lines, names, separator, self.encoding["behaviourThresholds"])

    def encode(self, rows, parser=None):
        """Text bundles: a list of strings -> int32 [n, maxLength] (domains are normalised first; a malformed
        domain raises ValueError). Records: raw lines (with `parser`, default KDD lines) or sequences aligned
        with the featurizer's columns -> float32 [n, features]."""
        if self.kind != "records":
            texts = []
            for i, r in enumerate(rows):
                t, err = self.prepare_text(r)
                if err:
                    raise ValueError("row %d: %s" % (i, err))
                texts.append(t)
            return self.encoder.encode(texts)
        rows = list(rows)
        if rows and isinstance(rows[0], str):
            p = parser or self.record_parser()
            num, cat = [], []
            for i, line in enumerate(rows):
                parsed = p.parse(line)
                if isinstance(parsed, str):
                    raise ValueError("row %d: %s" % (i, parsed))
                num.append(parsed[0])
                cat.append(parsed[1])
            return self.encoder.encode_parts(np.array(num, dtype=np.float64).reshape(len(rows), len(self.encoder.numeric)), cat)
        return self.encoder.encode(rows)

    # ---- scoring --------------------------------------------------------------------------------------
    @property
    def session(self):
        if self._session is None:
            import onnxruntime as ort

            o = ort.SessionOptions()
            o.intra_op_num_threads = self.threads
            o.inter_op_num_threads = 1
            self._session = ort.InferenceSession(self.model_path, sess_options=o, providers=["CPUExecutionProvider"])
        return self._session

    def predict(self, x, chunk=2048):
        """Encoded rows -> float32 probabilities [n, classes]."""
        x = np.ascontiguousarray(x, dtype=self.input_dtype)
        out = np.empty((len(x), len(self.classes)), dtype=np.float32)
        for s in range(0, len(x), chunk):
            out[s : s + chunk] = self.session.run(["probabilities"], {self.input_name: x[s : s + chunk]})[0]
        return out

    def attack_score(self, proba):
        """The score a DeepTriage scan stores: 1 - P(benign class), or P(class 1) when no class is benign."""
        return proba[:, 1] if self.normal_index is None else 1.0 - proba[:, self.normal_index]

    def score(self, rows, parser=None):
        proba = self.predict(self.encode(rows, parser))
        idx = proba.argmax(axis=1)
        return {
            "classes": self.classes,
            "probabilities": proba,
            "predicted": [self.classes[i] for i in idx],
            "score": self.attack_score(proba),
        }
