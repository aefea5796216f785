"""PyTorch side of the quality-per-minute comparison: the same model and recipe as

    deno task train --data fashion-mnist --model vqvae --quantizer multiscale --minutes 3

(`lib/models/vqvae.ts` VQVAE with VAR's multi-scale quantizer, mirrored layer for layer in
torch_worker.py; Adam at 7e-3 with 50 warm-up steps and cosine decay to 5 % over the budget,
batches of 128 in seeded epochs, dead-code restarts at steps 1, 10, 25, 50, 100 and every 200
onto recent residuals, sigmoid output), on the same data (data/fashion-mnist), for the same
minutes of training steps on the same machine. Evaluation (not counted in the budget) is
lib/train/metrics.ts's: test MSE and PSNR of the reconstructions from the tokens, clipped to
[0, 1], codebook usage and perplexity over every scale's tokens of the 10k test images.

Usage: python bench/reference/train_vqvae.py [--minutes 3] [--steps N] [--seed 0] [--out FILE]
(with --steps, training stops after N steps or the minutes, whichever comes first, and the
schedule runs over the steps, as `deno task train --steps N`)
Threads: torch.set_num_threads($VQVAR_TORCH_THREADS, default 2).
"""

import argparse
import gzip
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from torch_worker import VQVAE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def idx(path: Path) -> np.ndarray:
    raw = gzip.decompress(path.read_bytes())
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split: str) -> torch.Tensor:
    prefix = "train" if split == "train" else "t10k"
    x = idx(ROOT / "data" / "fashion-mnist" / f"{prefix}-images-idx3-ubyte.gz")
    return torch.from_numpy(x.astype(np.float32) / 255).unsqueeze(1)  # [N, 1, 28, 28]


def lr_at(step: int, progress: float, lr=7e-3, warmup=50, final=0.05) -> float:
    warm = min(1.0, (step + 1) / warmup)
    cos = 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    return lr * warm * (final + (1 - final) * cos)


class Restarts:
    """Code hits since the last restart and a ring of 4096 recent residuals (one scale a step)."""

    def __init__(self, vocab: int, dim: int, size: int = 4096, seed: int = 0):
        self.hits = torch.zeros(vocab)
        self.recent = torch.zeros(size, dim)
        self.filled = 0
        self.gen = torch.Generator().manual_seed(seed)

    def remember(self, rest_nc: torch.Tensor) -> None:
        n, r = rest_nc.shape[0], self.recent.shape[0]
        take = min(n, r)
        rows = rest_nc if take == n else rest_nc[torch.randint(n, (take,), generator=self.gen)]
        self.recent = torch.cat([self.recent[take:], rows.detach()])
        self.filled = min(r, self.filled + take)

    def restart(self, embedding: torch.Tensor) -> int:
        if self.filled == 0:
            return 0
        dead = (self.hits < 1).nonzero().flatten()
        if len(dead):
            picks = self.recent.shape[0] - 1 - torch.randint(self.filled, (len(dead),), generator=self.gen)
            with torch.no_grad():
                embedding[dead] = self.recent[picks]
        self.hits.zero_()
        return len(dead)


def train_forward(model: VQVAE, x: torch.Tensor, restarts: Restarts, step: int):
    """The model's training loss, with the quantizer's hits and residuals recorded for restarts."""
    q = model.quant

    def record(si, idx_n, rest_nc):
        restarts.hits += torch.bincount(idx_n, minlength=q.vocab).float()
        if si == step % len(q.pn):
            restarts.remember(rest_nc)

    x_hat, vq = model(x, on_scale=record)
    return F.mse_loss(x_hat, x) + vq


@torch.no_grad()
def evaluate(model: VQVAE, test: torch.Tensor) -> dict:
    model.eval()
    q = model.quant
    sq, counts = 0.0, torch.zeros(q.vocab)
    for start in range(0, len(test), 500):
        x = test[start:start + 500]
        f = model.encode(x)
        for idx_bl in q.f_to_idxBl(f):
            counts += torch.bincount(idx_bl.flatten(), minlength=q.vocab).float()
        f_hat, _ = q(f)
        sq += float(((model.decode(f_hat).clamp(0, 1) - x) ** 2).sum())
    mse = sq / test.numel()
    p = counts / counts.sum()
    model.train()
    return {"mse": mse, "psnr": 10 * math.log10(1 / mse),
            "perplexity": float(torch.exp(-(p * (p + 1e-10).log()).sum())),
            "usage": float((counts > 0).float().mean()), "images": len(test)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: no limit)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("VQVAR_TORCH_THREADS", "2")))
    torch.manual_seed(args.seed)
    train, test = load("train"), load("test")
    model = VQVAE()
    restarts = Restarts(model.quant.vocab, model.quant.c, seed=args.seed)
    opt = torch.optim.Adam(model.parameters(), lr=7e-3)
    budget = args.minutes * 60
    spent, step, epoch = 0.0, 0, 0
    gen = torch.Generator().manual_seed(args.seed)
    order, at = torch.randperm(len(train), generator=gen), 0
    early = {1, 10, 25, 50, 100}
    max_steps = args.steps or math.inf
    while spent < budget and step < max_steps:
        t0 = time.perf_counter()
        if at + 128 > len(train):
            epoch += 1
            order, at = torch.randperm(len(train), generator=gen), 0
        x = train[order[at:at + 128]]
        at += 128
        for g in opt.param_groups:
            g["lr"] = lr_at(step, max(spent / budget, step / max_steps))
        opt.zero_grad(set_to_none=True)
        loss = train_forward(model, x, restarts, step)
        loss.backward()
        opt.step()
        value = float(loss)
        if not math.isfinite(value):
            raise SystemExit(f"the loss became {value} at step {step + 1}")
        step += 1
        if step in early or step % 200 == 0:
            restarts.restart(model.quant.embedding.weight.data)
        spent += time.perf_counter() - t0
    report = {"side": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
              "minutes": args.minutes, "steps": step, "seconds": spent,
              "imagesPerSecond": step * 128 / spent, "test": evaluate(model, test)}
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
