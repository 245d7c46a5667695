"""Stratosphere behaviour strings as electron/data/readers/behaviour-letters.ts and behaviour.ts build them.

Flows of one (source IP, destination IP, destination port, protocol) tuple, in start-time order, become one
token each: a letter for periodicity x size x duration, and a symbol for the gap to the previous flow (or
zeros for gaps beyond the timeout). The thresholds travel in the bundle (encoding.json).
"""
import math

from .jsstr import js_number

LETTERS = {
    "strong-periodic": "abcdefghi",
    "weak-periodic": "ABCDEFGHI",
    "weak-non-periodic": "rstuvwxyz",
    "strong-non-periodic": "RSTUVWXYZ",
    "no-data": "123456789",
}


def periodicity(t1, t2, th):
    if t1 is None or t2 is None:
        return "no-data"
    hi, lo = max(t1, t2), min(t1, t2)
    td = 1.0 if hi == 0 else math.inf if lo == 0 else hi / lo
    if td <= th["tt1"]:
        return "strong-periodic"
    if td < th["tt2"]:
        return "weak-periodic"
    if td < th["tt3"]:
        return "weak-non-periodic"
    return "strong-non-periodic"


def gap_symbols(gap, th):
    if gap is None:
        return "", ""
    if gap <= th["t1"]:
        return "", "."
    if gap <= th["t2"]:
        return "", ","
    if gap <= th["t3"]:
        return "", "+"
    if gap <= th["timeout"]:
        return "", "*"
    return "0" * int(min(th["maxZeros"], max(1, math.floor(gap / th["timeout"])))), ""


def tokens(flows, th):
    """flows: (ts, duration, bytes) in start-time order."""
    out, t1, t2 = [], None, None
    for k, (ts, duration, nbytes) in enumerate(flows):
        t1 = t2
        t2 = ts - flows[k - 1][0] if k > 0 else None
        p = periodicity(t1, t2, th)
        size = 0 if nbytes <= th["ts1"] else 1 if nbytes <= th["ts2"] else 2
        dur = 0 if duration <= th["td1"] else 1 if duration <= th["td2"] else 2
        pre, post = gap_symbols(t2, th)
        out.append(pre + LETTERS[p][size * 3 + dur] + post)
    return out


def behaviour_strings(numbered_lines, names, separator, th):
    """A conn.log's data lines -> [(line of the tuple's first flow, tuple, behaviour string)], tuples in order
    of first appearance, as the engine's 'zeek-behaviour' reader; malformed lines are skipped."""
    lower = [n.lower() for n in names]

    def col(*alts):
        for a in alts:
            if a in lower:
                return lower.index(a)
        return -1

    ts_i, src_i, dst_i, dport_i, proto_i = (col(n) for n in ("ts", "id.orig_h", "id.resp_h", "id.resp_p", "proto"))
    if min(ts_i, src_i, dst_i, dport_i, proto_i) < 0:
        raise ValueError("behaviour strings need ts, id.orig_h, id.resp_h, id.resp_p and proto columns")
    dur_i = col("duration")
    ip = col("orig_ip_bytes") >= 0 and col("resp_ip_bytes") >= 0
    ob = col("orig_ip_bytes") if ip else col("orig_bytes")
    rb = col("resp_ip_bytes") if ip else col("resp_bytes")

    def missing(s):
        return s in ("-", "", "(empty)")

    def num(f, i):
        return 0.0 if i < 0 or missing(f[i]) else js_number(f[i])

    tuples = {}
    for n, text in numbered_lines:
        if text is None or len(text) == 0 or text.startswith("#"):
            continue
        f = text.split(separator)
        if len(f) != len(names):
            continue
        ts = js_number(f[ts_i])
        if missing(f[ts_i]) or not math.isfinite(ts):
            continue
        duration, nbytes = num(f, dur_i), num(f, ob) + num(f, rb)
        if not (duration >= 0) or not (nbytes >= 0):
            continue
        key = (f[src_i], f[dst_i], f[dport_i], f[proto_i])
        tup = tuples.get(key)
        if tup is None:
            tup = tuples[key] = (n, [])
        tup[1].append((ts, duration, nbytes, n))
    out = []
    for key, (first, flows) in tuples.items():
        flows.sort(key=lambda fl: (fl[0], fl[3]))
        out.append((first, key, "".join(tokens([fl[:3] for fl in flows], th))))
    return out
