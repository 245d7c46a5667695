"""PyTorch peer for bench/train.ts: the same architectures, batch and step count, on CPU.

Bench-only (the PyTorch wheel in .venv-bench, or Debian's python3-torch as the fallback); never a runtime
dependency of DeepTriage.
Reads the rows bench/train.ts wrote to a temp dir (raw little-endian arrays), trains `warmup` steps,
then times `steps` optimiser steps, for each requested thread count. Prints one JSON line.

  .venv-bench/bin/python bench/peers/train_torch.py --model dnn5 --x X.bin --y Y.bin --rows R --cols C \
      --classes K --batch B --warmup W --steps S --threads 1,2
"""
import argparse
import json
import warnings
import time

import numpy as np
import torch
from torch import nn

# Even kernel sizes with padding="same" warn about an internal padded copy; the timing includes it.
warnings.filterwarnings("ignore", message="Using padding=.same.")


class Dnn5(nn.Module):
    """dnn5: 1024-768-512-256-128 ReLU, each followed by dropout (DeepTriage default 0.01)."""

    def __init__(self, cols: int, classes: int, dropout: float):
        super().__init__()
        layers, width = [], cols
        for units in (1024, 768, 512, 256, 128):
            layers += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(dropout)]
            width = units
        layers.append(nn.Linear(width, classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class CharCnn(nn.Module):
    """Embedding(97,32) -> Conv1D k=2..5 x256 ELU 'same', each summed over time -> Dense 1024 ELU x2 (dropout) -> 1 logit."""

    def __init__(self, vocab: int, dropout: float):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32)
        self.convs = nn.ModuleList(nn.Conv1d(32, 256, k, padding="same") for k in (2, 3, 4, 5))
        self.head = nn.Sequential(
            nn.Linear(1024, 1024), nn.ELU(), nn.Dropout(dropout),
            nn.Linear(1024, 1024), nn.ELU(), nn.Dropout(dropout),
            nn.Linear(1024, 1),
        )

    def forward(self, x):
        e = self.emb(x).transpose(1, 2)  # [batch, 32, time]
        h = torch.cat([torch.nn.functional.elu(c(e)).sum(dim=2) for c in self.convs], dim=1)
        return self.head(h).squeeze(1)


class RecordsRnn(nn.Module):
    """lstm / gru / bilstm: the feature vector as ONE time step, 80 units (per direction), dropout 0.1, softmax head."""

    def __init__(self, cell: str, cols: int, classes: int, dropout: float, bidirectional: bool):
        super().__init__()
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(cols, 80, batch_first=True, bidirectional=bidirectional)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(160 if bidirectional else 80, classes)

    def forward(self, x):
        _, h = self.rnn(x.unsqueeze(1))
        h = h[0] if isinstance(h, tuple) else h  # LSTM returns (h, c)
        return self.out(self.drop(torch.cat(list(h), dim=1)))


class CharBiGru(nn.Module):
    """Embedding(97,16) -> Bidirectional GRU 32 (final states concatenated) -> Dense 32 ReLU -> dropout -> 1 logit.

    DeepTriage's embedding masks id 0 (padding) and still steps through all maxLen positions; this peer also
    runs all positions (no packing), so both do the same recurrent work.
    """

    def __init__(self, vocab: int, dropout: float):
        super().__init__()
        self.emb = nn.Embedding(vocab, 16)
        self.rnn = nn.GRU(16, 32, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 1))

    def forward(self, x):
        _, h = self.rnn(self.emb(x))
        return self.head(torch.cat([h[0], h[1]], dim=1)).squeeze(1)


class CharCnnLstm(nn.Module):
    """Embedding(97,32) -> Conv1D 256 k=5 ELU 'same' -> MaxPool 4 -> LSTM 32 (final state) -> 1 logit."""

    def __init__(self, vocab: int):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32)
        self.conv = nn.Conv1d(32, 256, 5, padding="same")
        self.pool = nn.MaxPool1d(4)
        self.rnn = nn.LSTM(256, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        h = self.pool(torch.nn.functional.elu(self.conv(self.emb(x).transpose(1, 2))))  # [batch, 256, time / 4]
        _, (state, _) = self.rnn(h.transpose(1, 2))
        return self.out(state[0]).squeeze(1)


SEQUENCES = ("char-cnn", "char-bigru", "char-cnn-lstm")


def build(args):
    if args.model == "dnn5":
        return Dnn5(args.cols, args.classes, args.dropout)
    if args.model in ("lstm", "gru", "bilstm"):
        return RecordsRnn("gru" if args.model == "gru" else "lstm", args.cols, args.classes, args.dropout, args.model == "bilstm")
    if args.model == "char-bigru":
        return CharBiGru(97, args.dropout)
    if args.model == "char-cnn-lstm":
        return CharCnnLstm(97)
    return CharCnn(97, args.dropout)


def run(args, threads: int, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    model = build(args)
    if args.classes > 2:
        loss_fn = nn.CrossEntropyLoss()
        target = y.long()
    else:
        loss_fn = nn.BCEWithLogitsLoss()
        target = y.float()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = args.rows // args.batch

    def step(i: int) -> None:
        b = i % batches
        xb = x[b * args.batch:(b + 1) * args.batch]
        yb = target[b * args.batch:(b + 1) * args.batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()  # same host sync as DeepTriage's per-batch loss read

    for i in range(args.warmup):
        step(i)
    t = time.perf_counter()
    c = time.process_time()
    for i in range(args.warmup, args.warmup + args.steps):
        step(i)
    samples = args.steps * args.batch
    # Wall clock, and CPU time of the whole process (every thread): the second holds on a loaded machine.
    return samples / (time.perf_counter() - t), samples / max(time.process_time() - c, 1e-9)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["dnn5", "char-cnn", "lstm", "gru", "bilstm", "char-bigru", "char-cnn-lstm"], required=True)
    p.add_argument("--x", required=True)
    p.add_argument("--y", required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--cols", type=int, required=True)
    p.add_argument("--classes", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--dropout", type=float, required=True)
    p.add_argument("--threads", default="1,2")
    args = p.parse_args()

    dtype = np.int32 if args.model in SEQUENCES else np.float32
    x = torch.from_numpy(np.fromfile(args.x, dtype=dtype).reshape(args.rows, args.cols).copy())
    if args.model in SEQUENCES:
        x = x.long()
    y = torch.from_numpy(np.fromfile(args.y, dtype=np.int32).copy())
    out = {str(t): run(args, t, x, y) for t in (int(s) for s in args.threads.split(","))}
    print(json.dumps({
        "samplesPerSec": {t: wall for t, (wall, _) in out.items()},
        "samplesPerCpuSec": {t: cpu for t, (_, cpu) in out.items()},
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
