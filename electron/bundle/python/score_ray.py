#!/usr/bin/env python3
"""Score log files with a DeepTriage scoring bundle on Ray Data.

    python score_ray.py INPUT [INPUT ...] OUTPUT [--workers N] [--batch-size N] [--output-format parquet|csv]

INPUT: text lists (one URL or domain per line, or a CSV whose header names a url/domain column), Zeek logs
(#fields header; --column picks the field, a+b joins fields), or record files (KDD / NSL-KDD lines, a CSV with
a header row, a Zeek log) for records models; plain or gzip. Every input line that is not a header becomes one
output row: file, line (1-based, as DeepTriage numbers lines), input (text models), error (why a line was not
scored, else null), score (what a DeepTriage scan stores: 1 - P(benign)), predicted (the most probable class)
and p_<class> for every class. OUTPUT is a folder of Parquet (default) or CSV files.

Plain files are cut into byte ranges read in parallel; a first pass counts line breaks per range so every row
keeps its true line number. Scoring runs in an actor pool, one onnxruntime session per actor.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from deeptriage_scorer import BundleError, load  # noqa: E402
from deeptriage_scorer.lines import UrlLineParser, decode_line, list_sample, open_bytes, split_lines  # noqa: E402
from deeptriage_scorer.records import zeek_header  # noqa: E402

TEXT_COLUMNS = ("url", "uri", "query", "domain", "host")


def is_gzip(path):
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def head_lines(path, n=64):
    out = []
    with open_bytes(path) as f:
        for i, b in enumerate(f):
            if i >= n:
                break
            if i == 0 and b.startswith(b"\xef\xbb\xbf"):
                b = b[3:]
            text, err = decode_line(b[:-1] if b.endswith(b"\n") else b)
            out.append((i + 1, text, err))
    return out


def plan_file(bundle, path, column):
    """How the read stage treats one file: its kind of lines, header line and (text) column."""
    head = head_lines(path)
    texts = [t for _, t, e in head if e is None]
    plan = {"path": path, "header_line": 0, "zeek": None, "column": None, "header_lines": []}
    # As the engine reads files (head-lines.ts leadingComments): '#' lines are a Zeek log's header only when
    # a #fields line is among them; otherwise they are comments above a header or the data (a feed's licence).
    z = zeek_header(texts) if texts and texts[0].startswith("#") else None
    if texts and texts[0].startswith("#") and not z and bundle.kind == "behaviour":
        raise SystemExit("%s: starts with '#' but has no #fields line: not a Zeek log" % path)
    if z:
        names, sep = z
        plan["zeek"] = {"names": names, "separator": sep}
        plan["header_lines"] = [t for t in texts if t.startswith("#")]
        if bundle.kind != "records":
            wanted = column.split("+") if column else None
            if not wanted:
                found = next((c for c in TEXT_COLUMNS if c in names), None)
                if not found:
                    raise SystemExit("%s: no %s field; name one with --column (fields: %s)" % (path, "/".join(TEXT_COLUMNS), ", ".join(names)))
                wanted = [found]
            missing = [c for c in wanted if c not in names]
            if missing:
                raise SystemExit("%s: no field %s (fields: %s)" % (path, ", ".join(missing), ", ".join(names)))
            plan["column"] = [names.index(c) for c in wanted]
        return plan
    if bundle.kind == "records":
        if bundle.record_format == "csv":
            first = next(((n, t) for n, t, e in head if e is None and t.strip() != "" and not t.lstrip().startswith("#")), None)
            if first is None:
                raise SystemExit("%s: no header row" % path)
            plan["header_line"], plan["header_lines"] = first[0], [first[1]]
        return plan
    if bundle.kind == "behaviour":
        raise SystemExit("%s: behaviour strings are built from a Zeek conn.log (#fields header)" % path)
    # Text lists: the scan's rules: the first non-blank, non-comment line may be a header naming the URL
    # column; the first readable lines decide whether a headerless list is a url,label feed.
    p = UrlLineParser(sample=list_sample(head))
    for n, t, e in head:
        if e is not None:
            continue
        kind, _ = p.parse(t)
        if kind == "header":
            plan["header_line"] = n
        if not p.first:
            break
    if column:
        if not plan["header_line"]:
            raise SystemExit("%s: --column needs a header row naming the columns" % path)
        from deeptriage_scorer.lines import split_csv

        names = [c.strip().lower() for c in split_csv(head[plan["header_line"] - 1][1])]
        if column.lower() not in names:
            raise SystemExit("%s: no column %r (columns: %s)" % (path, column, ", ".join(names)))
        p.column = names.index(column.lower())
    plan["column"] = p.column
    return plan


def count_newlines(path, start, end):
    with open(path, "rb") as f:
        f.seek(start)
        left, n = end - start, 0
        while left > 0:
            b = f.read(min(left, 1 << 22))
            if not b:
                break
            n += b.count(b"\n")
            left -= len(b)
    return n


def read_range(path, start, end, newlines_before):
    """Lines starting in [start, end) as (number, bytes block of whole lines)."""
    with open(path, "rb") as f:
        if start == 0:
            pos, line = 0, 1
        else:
            f.seek(start - 1)
            if f.read(1) == b"\n":
                pos, line = start, newlines_before + 1
            else:
                pos, line = None, newlines_before + 2
                f.seek(start)
                off = start
                while pos is None:
                    b = f.read(1 << 16)
                    if not b:
                        return line, b""
                    i = b.find(b"\n")
                    if i >= 0:
                        pos = off + i + 1
                    off += len(b)
        if pos >= end:
            return line, b""
        f.seek(pos)
        data = f.read(end - pos)
        if data and not data.endswith(b"\n"):
            tail = []
            while True:
                b = f.read(1 << 16)
                if not b:
                    break
                i = b.find(b"\n")
                if i >= 0:
                    tail.append(b[: i + 1])
                    break
                tail.append(b)
            data += b"".join(tail)
        return line, data


def make_reader(bundle_dir, plans):
    def read(batch):
        from deeptriage_scorer import load as load_bundle

        bundle = load_bundle(bundle_dir, verify=False)
        files, lines, inputs, errors = [], [], [], []
        for fi, start, end, before in zip(batch["file"], batch["start"], batch["end"], batch["before"]):
            plan = plans[int(fi)]
            path = plan["path"]
            if end < 0:  # gzip or behaviour: the whole file in one task
                with open_bytes(path) as f:
                    first, data = 1, f.read()
            else:
                first, data = read_range(path, int(start), int(end), int(before))
            numbered = split_lines(data, first)
            if bundle.kind == "behaviour":
                z = plan["zeek"]
                for n, _tuple, s in bundle.behaviour(((n, t) for n, t, e in numbered), z["names"], z["separator"]):
                    files.append(path), lines.append(n), inputs.append(s), errors.append(None)
                continue
            parser = UrlLineParser(column=plan["column"], first=False) if plan["zeek"] is None and bundle.kind == "text" else None
            for n, text, err in numbered:
                if n == plan["header_line"]:
                    continue
                value = None
                if err is not None:
                    err = "tooLong" if "longer" in err else "binary"
                elif plan["zeek"] is not None:
                    if text == "" or text.startswith("#"):
                        continue
                    if bundle.kind == "records":
                        value = text
                    else:
                        f = text.split(plan["zeek"]["separator"])
                        if len(f) != len(plan["zeek"]["names"]):
                            err = "expected %d fields, got %d" % (len(plan["zeek"]["names"]), len(f))
                        else:
                            parts = [f[i] for i in plan["column"]]
                            value = "".join(parts)
                            if any(p in ("-", "(empty)", "") for p in parts):
                                err, value = "empty", None
                elif parser is not None:
                    kind, v = parser.parse(text)
                    if kind == "url":
                        value = v
                    else:
                        err = v
                else:
                    if text.strip() == "":
                        continue
                    value = text
                files.append(path), lines.append(n), inputs.append(value), errors.append(err)
        import pyarrow as pa

        return pa.table({"file": pa.array(files, pa.string()), "line": pa.array(lines, pa.int64()), "input": pa.array(inputs, pa.string()), "error": pa.array(errors, pa.string())})

    return read


class Scorer:
    """One onnxruntime session per actor; a batch in, the same rows with scores out."""

    def __init__(self, bundle_dir, plans, threads):
        from deeptriage_scorer import load as load_bundle

        self.bundle = load_bundle(bundle_dir, verify=False, threads=threads)
        self.parsers = {}
        if self.bundle.kind == "records":
            for plan in plans:
                self.parsers[plan["path"]] = self.bundle.record_parser(plan["header_lines"]) if plan["header_lines"] else self.bundle.record_parser()

    def __call__(self, batch):
        import numpy as np
        import pyarrow as pa

        b = self.bundle
        n = batch.num_rows
        inputs = batch.column("input").to_pylist()
        errors = batch.column("error").to_pylist()
        files = batch.column("file").to_pylist()
        good, encoded_rows = [], []
        if b.kind == "records":
            num, cat = [], []
            for i in range(n):
                if errors[i] is not None:
                    continue
                parsed = self.parsers[files[i]].parse(inputs[i])
                if isinstance(parsed, str):
                    errors[i] = parsed
                    continue
                good.append(i)
                num.append(parsed[0])
                cat.append(parsed[1])
            x = b.encoder.encode_parts(np.array(num, dtype=np.float64).reshape(len(good), len(b.encoder.numeric)), cat) if good else None
        else:
            texts = []
            for i in range(n):
                if errors[i] is not None:
                    continue
                t, err = b.prepare_text(inputs[i])
                if err:
                    errors[i] = err
                    continue
                good.append(i)
                texts.append(t)
            x = b.encoder.encode(texts) if good else None
        k = len(b.classes)
        proba = np.full((n, k), np.nan, dtype=np.float32)
        if good:
            proba[np.array(good)] = b.predict(x)
        score = np.full(n, np.nan, dtype=np.float32)
        predicted = [None] * n
        if good:
            g = np.array(good)
            score[g] = b.attack_score(proba[g])
            best = proba[g].argmax(axis=1)
            for j, i in enumerate(good):
                predicted[i] = b.classes[best[j]]
        cols = {"file": batch.column("file"), "line": batch.column("line")}
        if b.kind != "records":
            cols["input"] = batch.column("input")
        cols["error"] = pa.array(errors, pa.string())
        cols["score"] = pa.array(score)
        cols["predicted"] = pa.array(predicted, pa.string())
        for c, name in enumerate(b.classes):
            cols["p_" + name] = pa.array(proba[:, c])
        return pa.table(cols)


def _end_children():
    """A failed local start leaves its GCS server (and maybe a raylet) behind: end this process's children."""
    import signal

    me = str(os.getpid())
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open("/proc/%s/stat" % pid) as f:
                ppid = f.read().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError, ValueError):
            continue
        if ppid == me:
            try:
                os.kill(int(pid), signal.SIGTERM)
            except OSError:
                pass
    time.sleep(1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", metavar="INPUT ... OUTPUT")
    ap.add_argument("--bundle", default=HERE, help="the bundle folder (default: the folder of this script)")
    ap.add_argument("--workers", type=int, default=2, help="scoring actors, one onnxruntime session each (default 2)")
    ap.add_argument("--batch-size", type=int, default=4096, help="rows per scoring call (default 4096)")
    ap.add_argument("--threads", type=int, default=1, help="onnxruntime threads per actor (default 1)")
    ap.add_argument("--chunk-mb", type=float, default=16, help="bytes per read task of a plain file, MiB (default 16)")
    ap.add_argument("--column", help="the text column (CSV header name, Zeek field; a+b joins Zeek fields)")
    ap.add_argument("--output-format", choices=("parquet", "csv"), default="parquet")
    ap.add_argument("--address", default=os.environ.get("RAY_ADDRESS"), help="Ray cluster to join (default: start a local one)")
    ap.add_argument("--num-cpus", type=int, help="CPUs of the local Ray instance (default: all)")
    ap.add_argument("--object-store-mb", type=int, help="object store of the local Ray instance, MiB (default: Ray's)")
    a = ap.parse_args(argv)
    if len(a.paths) < 2:
        ap.error("give at least one INPUT and the OUTPUT folder")
    inputs, output = a.paths[:-1], a.paths[-1]
    try:
        bundle = load(a.bundle)
    except BundleError as e:
        print("score_ray: %s" % e, file=sys.stderr)
        return 2
    for p in inputs:
        if not os.path.isfile(p):
            print("score_ray: %s: no such file" % p, file=sys.stderr)
            return 2
    plans = [plan_file(bundle, os.path.abspath(p), a.column) for p in inputs]

    # Offline machines: no usage report attempts.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray
    import ray.data

    t0 = time.time()
    if not ray.is_initialized():
        local = {} if a.address else {"num_cpus": a.num_cpus, "object_store_memory": a.object_store_mb << 20 if a.object_store_mb else None}
        # A local Ray gives its raylet a fixed 30 s to register; on an overloaded machine that can run out, and a
        # second start usually succeeds.
        for attempt in range(3):
            try:
                ray.init(address=a.address, include_dashboard=False, log_to_driver=False, logging_level="ERROR", **local)
                break
            except Exception as e:  # noqa: BLE001 - Ray raises a bare Exception for this
                if a.address or "timed out during startup" not in str(e) or attempt == 2:
                    raise
                print("score_ray: Ray start-up timed out (attempt %d), retrying" % (attempt + 1), file=sys.stderr)
                ray.shutdown()
                _end_children()
    t_ready = time.time()
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False

    chunk = max(1, int(a.chunk_mb * (1 << 20)))
    tasks = []
    for fi, plan in enumerate(plans):
        size = os.path.getsize(plan["path"])
        if bundle.kind == "behaviour" or is_gzip(plan["path"]):
            tasks.append({"file": fi, "start": 0, "end": -1, "before": 0})
            continue
        bounds = list(range(0, size, chunk)) + [size]
        counter = ray.remote(count_newlines)
        counts = ray.get([counter.remote(plan["path"], s, e) for s, e in zip(bounds, bounds[1:])])
        before = 0
        for (s, e), c in zip(zip(bounds, bounds[1:]), counts):
            tasks.append({"file": fi, "start": s, "end": e, "before": before})
            before += c
    ds = ray.data.from_items(tasks, override_num_blocks=max(1, len(tasks)))
    ds = ds.map_batches(make_reader(bundle.dir, plans), batch_size=1, batch_format="numpy")
    ds = ds.map_batches(
        Scorer,
        fn_constructor_args=(bundle.dir, plans, a.threads),
        batch_size=a.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=a.workers),
        num_cpus=1,
    )
    # The writers take no CPU slot: with one actor per CPU they would otherwise wait for the actors to finish,
    # and every scored block would pile up in the object store meanwhile.
    write_args = {"ray_remote_args": {"num_cpus": 0}}
    if a.output_format == "parquet":
        ds.write_parquet(output, **write_args)
    else:
        ds.write_csv(output, **write_args)
    t_end = time.time()
    rows = ray.data.read_parquet(output).count() if a.output_format == "parquet" else None
    summary = {
        "output": output,
        "rows": rows,
        # Ray start-up (or joining the cluster), then the job itself: count pass, read, score, write.
        "startSeconds": round(t_ready - t0, 3),
        "jobSeconds": round(t_end - t_ready, 3),
        "workers": a.workers,
        "batchSize": a.batch_size,
        "runId": bundle.run_id,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
