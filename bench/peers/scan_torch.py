"""PyTorch peer for bench/scan.ts: char-cnn inference on the same URL strings, tokenization included.

Bench-only (the PyTorch wheel in .venv-bench, or Debian python3-torch as the fallback); never a runtime
dependency of DeepTriage.
Reads one URL per line (the distinct URLs the scan scores), then for each thread count times, batch by batch:
encode the strings to character ids exactly like DeepTriage's charseq encoder, forward pass, sigmoid, back
to numpy. Weights are random (speed, not accuracy). Prints one JSON line.

  OPENBLAS_NUM_THREADS=1 .venv-bench/bin/python bench/peers/scan_torch.py --urls FILE --max-len 75 \
      --truncate right [--strip-scheme] --batch 512 --threads 1,2
"""
import argparse
import json
import re
import time
import warnings

import numpy as np
import torch
from torch import nn

warnings.filterwarnings("ignore", message="Using padding=.same.")

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
WWW = re.compile(r"^www\.", re.I)
# Printable ASCII 32..126 -> 2..96; everything else (non-printable, non-ASCII) -> 1 (unknown).
LUT = np.ones(256, dtype=np.int64)
LUT[32:127] = np.arange(2, 97)


class CharCnn(nn.Module):
    """Same as bench/peers/train_torch.py: Embedding(97,32) -> Conv1D k=2..5 x256 ELU 'same', summed over time -> Dense 1024 ELU x2 -> 1 logit."""

    def __init__(self, vocab: int = 97):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32)
        self.convs = nn.ModuleList(nn.Conv1d(32, 256, k, padding="same") for k in (2, 3, 4, 5))
        self.head = nn.Sequential(
            nn.Linear(1024, 1024), nn.ELU(), nn.Dropout(0.5),
            nn.Linear(1024, 1024), nn.ELU(), nn.Dropout(0.5),
            nn.Linear(1024, 1),
        )

    def forward(self, x):
        e = self.emb(x).transpose(1, 2)
        h = torch.cat([torch.nn.functional.elu(c(e)).sum(dim=2) for c in self.convs], dim=1)
        return self.head(h).squeeze(1)


def encode(urls, max_len: int, truncate: str, strip_scheme: bool) -> np.ndarray:
    out = np.zeros((len(urls), max_len), dtype=np.int64)
    for i, u in enumerate(urls):
        if strip_scheme:
            u = WWW.sub("", SCHEME.sub("", u, count=1), count=1)
        if len(u) > max_len:
            u = u[:max_len] if truncate == "right" else u[len(u) - max_len:]
        if u.isascii():
            out[i, :len(u)] = LUT[np.frombuffer(u.encode("ascii"), dtype=np.uint8)]
        else:
            out[i, :len(u)] = [LUT[ord(c)] if ord(c) < 128 else 1 for c in u]
    return out


def run(args, urls, threads: int) -> float:
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    model = CharCnn().eval()
    b = args.batch

    def batch(lo: int) -> None:
        x = torch.from_numpy(encode(urls[lo:lo + b], args.max_len, args.truncate, args.strip_scheme))
        torch.sigmoid(model(x)).numpy()

    with torch.inference_mode():
        batch(0)  # warm-up (allocator, weight packing)
        t = time.perf_counter()
        for lo in range(0, len(urls), b):
            batch(lo)
        return len(urls) / (time.perf_counter() - t)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--urls", required=True)
    p.add_argument("--max-len", type=int, required=True)
    p.add_argument("--truncate", choices=["left", "right"], default="right")
    p.add_argument("--strip-scheme", action="store_true")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--threads", default="1,2")
    args = p.parse_args()
    with open(args.urls, encoding="utf-8") as f:
        urls = [line.rstrip("\n") for line in f if line.strip()]
    out = {str(t): run(args, urls, t) for t in (int(s) for s in args.threads.split(","))}
    print(json.dumps({"urlsPerSec": out, "urls": len(urls), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
