"""Makes the PyTorch reference numbers in lib/testdata/golden/ (format: its README).

The references, written here after the original PyTorch code:
- vq_seed.json: the seed project's single-scale VectorQuantizer2 (nearest code by squared L2,
  loss = mse(q, sg(z)) + beta * mse(sg(q), z) with beta = 1, straight-through z + sg(q - z));
- var_quantizer.json: VAR's multi-scale residual quantizer (FoundationVision/VAR,
  models/quant.py, VectorQuantizer2 with Phi / PhiShared / PhiPartiallyShared / PhiNonShared):
  f_to_idxBl_or_fhat, idxBl_to_var_input, embed_to_fhat and the training forward;
- resize.json: torch.nn.functional.interpolate(x, size, mode, align_corners=False).

Inputs (codebooks, feature maps, phi weights, images) are read from the committed files, so
that running this again reproduces them; --fresh draws new inputs from --seed instead.
--check writes to a temporary folder and compares with the committed files (floats within
--tol, integers exactly). Needs torch and numpy:

    python3 -m venv .cache/torch && .cache/torch/bin/pip install --retries 0 torch numpy
    .cache/torch/bin/python scripts/golden/make_golden.py --check
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

GOLDEN = Path(__file__).resolve().parents[2] / "lib" / "testdata" / "golden"


# ---- the stored format ------------------------------------------------------------------------

def store(t: torch.Tensor, nhwc: bool = False) -> dict:
    t = t.detach()
    if nhwc and t.dim() == 4:
        t = t.permute(0, 2, 3, 1)
    if t.dtype in (torch.int64, torch.int32):
        return {"shape": list(t.shape), "dtype": "int32", "data": [int(v) for v in t.flatten()]}
    return {"shape": list(t.shape), "dtype": "float32",
            "data": [float(np.float32(v)) for v in t.float().flatten()]}


def load(g: dict, nchw: bool = False) -> torch.Tensor:
    dtype = torch.int64 if g["dtype"] == "int32" else torch.float32
    t = torch.tensor(g["data"], dtype=dtype).reshape(g["shape"])
    return t.permute(0, 3, 1, 2).contiguous() if nchw and t.dim() == 4 else t


# ---- resize ------------------------------------------------------------------------------------

def resize_cases(old: dict | None, gen: torch.Generator) -> dict:
    sizes = [(1, 16), (2, 16), (3, 16), (13, 16), (16, 13), (16, 10), (16, 3), (16, 1), (8, 5),
             (5, 8), (4, 8)]
    cases = []
    for k, (src, dst) in enumerate(sizes):
        for j, mode in enumerate(("bicubic", "area")):
            i = 2 * k + j
            x = load(old["cases"][i]["x"], nchw=True) if old else \
                torch.randn(2, 3, src, src, generator=gen)
            y = F.interpolate(x, size=(dst, dst), mode=mode,
                              align_corners=False if mode == "bicubic" else None)
            cases.append({"mode": mode, "from": src, "to": dst,
                          "x": store(x, nhwc=True), "y": store(y, nhwc=True)})
    return {"about": "F.interpolate(x, size=(to,to), mode) with align_corners=False; NHWC",
            "cases": cases}


# ---- the seed's single-scale quantizer ----------------------------------------------------------

def vq_seed_cases(old: dict | None, gen: torch.Generator) -> dict:
    cases = []
    for i, (v, c, shape) in enumerate([(16, 8, (2, 8, 4, 4)), (64, 16, (2, 16, 5, 5))]):
        e = load(old["cases"][i]["embedding"]) if old else torch.rand(v, c, generator=gen) * 2 - 1
        z = load(old["cases"][i]["z"], nchw=True) if old else torch.randn(*shape, generator=gen)
        e = e.clone().requires_grad_(True)
        z = z.clone().requires_grad_(True)
        z_nc = z.permute(0, 2, 3, 1).reshape(-1, c)
        d = (z_nc ** 2).sum(1, keepdim=True) + (e ** 2).sum(1) - 2 * z_nc @ e.t()
        idx = d.argmin(1)
        q = e[idx].reshape(z.shape[0], z.shape[2], z.shape[3], c).permute(0, 3, 1, 2)
        beta = 1.0
        loss = F.mse_loss(q, z.detach()) + beta * F.mse_loss(q.detach(), z)
        quantized = z + (q - z).detach()
        (quantized.sum() + loss).backward()
        cases.append({
            "vocabSize": v, "dim": c, "embedding": store(e), "z": store(z, nhwc=True),
            "quantized": store(quantized, nhwc=True), "loss": float(loss.detach()), "indices": store(idx),
            "grad_z_of_sum_quantized_plus_loss": store(z.grad, nhwc=True),
            "grad_embedding_of_sum_quantized_plus_loss": store(e.grad),
        })
    return {"about": "seed VectorQuantizer2; indices in N*H*W order; gradients of (sum(quantized) + loss)",
            "cases": cases}


# ---- VAR's multi-scale quantizer -------------------------------------------------------------

def phi_index(si: int, sn: int, k: int) -> int:
    """VAR's choice of the shared phi for scale si of sn: the tick nearest to si / (sn - 1)."""
    if k == 1:
        return 0
    start = 1 / 3 / k if k == 4 else 1 / 2 / k
    ticks = np.linspace(start, 1 - start, k)
    return int(np.argmin(np.abs(ticks - si / (sn - 1))))


class MultiScale:
    """VAR's residual quantizer, NCHW, written after models/quant.py."""

    def __init__(self, cfg: dict, embedding: torch.Tensor, phis: list[tuple[torch.Tensor, torch.Tensor]]):
        self.cfg = cfg
        self.e = embedding
        self.phis = phis  # (weight OIHW, bias) in module order
        self.pns = cfg["patchNums"]

    def phi(self, si: int, h: torch.Tensor) -> torch.Tensor:
        r = abs(self.cfg["quantResi"])
        if r <= 1e-6:
            return h
        sn, share = len(self.pns), self.cfg["shareQuantResi"]
        k = si if share == 0 else phi_index(si, sn, len(self.phis))
        w, b = self.phis[k]
        return h * (1 - r) + F.conv2d(h, w, b, padding=1) * r

    def nearest(self, z_nc: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        if self.cfg["usingZnorm"]:
            return (F.normalize(z_nc, dim=-1) @ F.normalize(e.t(), dim=0)).argmax(1)
        d = (z_nc ** 2).sum(1, keepdim=True) + (e ** 2).sum(1)
        d = torch.addmm(d, z_nc, e.t(), beta=1, alpha=-2)
        return d.argmin(1)

    def up(self, h: torch.Tensor, si: int) -> torch.Tensor:
        hw = self.pns[-1]
        return h if si == len(self.pns) - 1 else F.interpolate(h, size=(hw, hw), mode="bicubic")

    def residual(self, f: torch.Tensor, embed):
        b, c, hh, ww = f.shape
        rest, f_hat = f.detach().clone(), torch.zeros_like(f)
        idx_bl, fhats, losses = [], [], []
        for si, pn in enumerate(self.pns):
            r = rest if si == len(self.pns) - 1 else F.interpolate(rest, size=(pn, pn), mode="area")
            idx = self.nearest(r.permute(0, 2, 3, 1).reshape(-1, c), self.e.detach())
            h = self.phi(si, self.up(embed(idx).reshape(b, pn, pn, c).permute(0, 3, 1, 2), si))
            f_hat = f_hat + h
            rest = rest - h
            idx_bl.append(idx.reshape(b, pn * pn))
            fhats.append(f_hat)
            losses.append(F.mse_loss(f_hat.detach(), f) * self.cfg["beta"] + F.mse_loss(f_hat, f.detach()))
        return idx_bl, fhats, sum(losses) / len(self.pns)

    def embed_to_fhat(self, codes: list[torch.Tensor]) -> list[torch.Tensor]:
        f_hat, out = None, []
        for si, h in enumerate(codes):
            h = self.phi(si, self.up(h, si))
            f_hat = h if f_hat is None else f_hat + h
            out.append(f_hat)
        return out

    def idx_bl_to_var_input(self, idx_bl: list[torch.Tensor]) -> torch.Tensor:
        b, c, hw = idx_bl[0].shape[0], self.e.shape[1], self.pns[-1]
        f_hat = torch.zeros(b, c, hw, hw)
        nxt = []
        for si in range(len(self.pns) - 1):
            pn = self.pns[si]
            h = self.e[idx_bl[si]].reshape(b, pn, pn, c).permute(0, 3, 1, 2)
            f_hat = f_hat + self.phi(si, F.interpolate(h, size=(hw, hw), mode="bicubic"))
            pn_next = self.pns[si + 1]
            nxt.append(F.interpolate(f_hat, size=(pn_next, pn_next), mode="area").reshape(b, c, -1).transpose(1, 2))
        return torch.cat(nxt, dim=1)


def var_cases(old: dict | None, gen: torch.Generator) -> dict:
    configs = [
        dict(vocabSize=32, cvae=8, patchNums=[1, 2, 3, 4, 6, 8], beta=0.25, quantResi=0.5, shareQuantResi=4, usingZnorm=False),
        dict(vocabSize=32, cvae=8, patchNums=[1, 2, 3, 4, 6, 8], beta=0.25, quantResi=0.5, shareQuantResi=1, usingZnorm=False),
        dict(vocabSize=32, cvae=8, patchNums=[1, 2, 4, 8], beta=0.25, quantResi=0.5, shareQuantResi=0, usingZnorm=False),
        dict(vocabSize=32, cvae=8, patchNums=[1, 2, 3, 4, 6, 8], beta=0.25, quantResi=0.0, shareQuantResi=4, usingZnorm=False),
        dict(vocabSize=32, cvae=8, patchNums=[1, 2, 3, 4, 6, 8], beta=0.25, quantResi=0.5, shareQuantResi=4, usingZnorm=True),
        # VAR takes any float: Phi blends with abs(quant_resi) (small shapes: keeps the file small).
        dict(vocabSize=16, cvae=4, patchNums=[1, 2, 3, 4], beta=0.25, quantResi=-0.5, shareQuantResi=4, usingZnorm=False),
    ]
    cases = []
    for i, cfg in enumerate(configs):
        v, c, hw = cfg["vocabSize"], cfg["cvae"], cfg["patchNums"][-1]
        count = 0 if abs(cfg["quantResi"]) <= 1e-6 else (
            len(cfg["patchNums"]) if cfg["shareQuantResi"] == 0 else cfg["shareQuantResi"])
        # Drawn for every case, so that a case added after the others were committed gets the
        # inputs --fresh gives it; the committed inputs are used wherever there are some.
        e = torch.rand(v, c, generator=gen) * 2 - 1
        f = torch.randn(2, c, hw, hw, generator=gen)
        bound = 1 / math.sqrt(c * 9)
        phis = [((torch.rand(c, c, 3, 3, generator=gen) * 2 - 1) * bound,
                 (torch.rand(c, generator=gen) * 2 - 1) * bound) for _ in range(count)]
        if old and i < len(old["cases"]):
            o = old["cases"][i]
            e = load(o["embedding"])
            f = load(o["f"], nchw=True)
            phis = [(load(p["kernel"]).permute(3, 2, 0, 1).contiguous(), load(p["bias"])) for p in o["phi"]]
        q = MultiScale(cfg, e, phis)
        with torch.no_grad():
            idx_bl, fhats, _ = q.residual(f, lambda idx: e[idx])
            codes = [e[idx].reshape(f.shape[0], pn, pn, c).permute(0, 3, 1, 2) for idx, pn in zip(idx_bl, cfg["patchNums"])]
            embed = q.embed_to_fhat(codes)
            var_input = q.idx_bl_to_var_input(idx_bl)
        # The training forward, with gradients to f and to the codebook.
        fg = f.clone().requires_grad_(True)
        eg = e.clone().requires_grad_(True)
        qg = MultiScale(cfg, eg, phis)
        _, fh, loss = qg.residual(fg, lambda idx: eg[idx])
        f_hat = (fh[-1].detach() - fg.detach()) + fg
        (f_hat.sum() + loss).backward()
        cases.append({
            "config": cfg, "embedding": store(e),
            "phi": [{"kernel": store(w.permute(2, 3, 1, 0)), "bias": store(b)} for w, b in phis],
            "f": store(f, nhwc=True), "idxBl": [store(t) for t in idx_bl],
            "fhatPerScale": [store(t, nhwc=True) for t in fhats], "varInput": store(var_input),
            "embedToFhat": [store(t, nhwc=True) for t in embed],
            "forward": {"fHat": store(f_hat, nhwc=True), "vqLoss": float(loss.detach()),
                        "grad_f_of_sum_fhat_plus_loss": store(fg.grad, nhwc=True),
                        "grad_embedding_of_sum_fhat_plus_loss": store(eg.grad)},
        })
    return {"about": "VAR VectorQuantizer2 (models/quant.py); phi kernels HWIO in module order; NHWC",
            "cases": cases}


# ---- writing and checking --------------------------------------------------------------------

MAKERS = {"resize.json": resize_cases, "vq_seed.json": vq_seed_cases, "var_quantizer.json": var_cases}


def compare(a, b, tol: float, where: str = "") -> list[str]:
    if isinstance(a, dict) and {"shape", "dtype", "data"} <= a.keys():
        if a["shape"] != b["shape"] or a["dtype"] != b["dtype"]:
            return [f"{where}: {a['dtype']} {a['shape']} vs {b['dtype']} {b['shape']}"]
        x, y = np.array(a["data"], dtype=np.float64), np.array(b["data"], dtype=np.float64)
        d = float(np.max(np.abs(x - y))) if x.size else 0.0
        ok = d == 0 if a["dtype"] == "int32" else d <= tol
        return [] if ok else [f"{where}: max |diff| {d:.3g}"]
    if isinstance(a, dict):
        out = [] if a.keys() == b.keys() else [f"{where}: keys differ"]
        return out + [p for k in a.keys() & b.keys() for p in compare(a[k], b[k], tol, f"{where}.{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in compare(x, y, tol, f"{where}[{i}]")]
    if isinstance(a, float):
        return [] if abs(a - b) <= tol else [f"{where}: {a} vs {b}"]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=GOLDEN)
    ap.add_argument("--fresh", action="store_true", help="new random inputs instead of the committed ones")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", action="store_true", help="compare a fresh run with the committed files")
    ap.add_argument("--tol", type=float, default=1e-5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = Path(tempfile.mkdtemp()) if args.check else args.out
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, make in MAKERS.items():
        old = None if args.fresh else json.loads((GOLDEN / name).read_text())
        data = make(old, torch.Generator().manual_seed(args.seed))
        (out / name).write_text(json.dumps(data, indent=2) + "\n")
        if args.check:
            problems = compare(json.loads((GOLDEN / name).read_text()), data, args.tol, name)
            print(f"[golden] {name}: {'reproduced' if not problems else f'{len(problems)} differences'}"
                  f" (torch {torch.__version__}, tolerance {args.tol:g})", file=sys.stderr)
            for p in problems[:20]:
                print(f"  {p}", file=sys.stderr)
            failed += bool(problems)
        else:
            print(f"[golden] wrote {out / name}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
