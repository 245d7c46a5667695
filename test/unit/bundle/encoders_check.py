"""Test harness: runs the bundle scorer's encoders on cases given as JSON on stdin, prints the results as JSON.

Input: {"pkg": folder holding deeptriage_scorer, "charseq": [{spec, texts}], "suffixes": [...],
"domains": [...], "numbers": [...], "tabular": {spec, rows}, "behaviour": {path, thresholds}, "urlLines": [...]}.
"""
import json
import math
import sys

req = json.load(sys.stdin)
sys.path.insert(0, req["pkg"])
from deeptriage_scorer.behaviour import behaviour_strings  # noqa: E402
from deeptriage_scorer.charseq import CharSeqEncoder  # noqa: E402
from deeptriage_scorer.domain import normalize_domain  # noqa: E402
from deeptriage_scorer.jsstr import js_number  # noqa: E402
from deeptriage_scorer.lines import UrlLineParser, list_sample, read_lines  # noqa: E402
from deeptriage_scorer.records import zeek_header  # noqa: E402
from deeptriage_scorer.tabular import TabularEncoder  # noqa: E402

out = {"charseq": [], "domains": [], "numbers": [], "tabular": None, "behaviour": None, "urlLines": None}
for case in req["charseq"]:
    enc = CharSeqEncoder(case["spec"], req["suffixes"])
    out["charseq"].append(enc.encode(case["texts"]).tolist())
for d in req["domains"]:
    v, err = normalize_domain(d)
    out["domains"].append(v if err is None else None)
for s in req["numbers"]:
    v = js_number(s)
    out["numbers"].append("nan" if math.isnan(v) else v.hex())
t = req["tabular"]
enc = TabularEncoder(t["spec"])
out["tabular"] = [[float(v).hex() for v in row] for row in enc.encode(t["rows"]).tolist()]
out["minmax"] = [[float(v).hex() for v in row] for row in TabularEncoder(req["minmax"]).encode(t["rows"]).tolist()]
b = req["behaviour"]
numbered = [(n, text) for n, text, err in read_lines(b["path"]) if err is None]
names, sep = zeek_header([text for _, text in numbered[:20]])
out["behaviour"] = [[n, s] for n, _k, s in behaviour_strings(numbered, names, sep, b["thresholds"])]
p = UrlLineParser()
out["urlLines"] = [list(p.parse(t)) for t in req["urlLines"]]
for key in ("feedLines", "commaList"):
    lines = req[key]
    parser = UrlLineParser(sample=list_sample([(i + 1, t, None) for i, t in enumerate(lines)]))
    out[key] = [list(parser.parse(t)) for t in lines]
print(json.dumps(out))
