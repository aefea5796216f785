"""PyTorch reference of the benchmark workloads (bench/workloads.ts), same JSON-lines protocol
as bench/worker.ts, so bench/run.ts can alternate the two in one run:

  -> {"cmd": "setup", "name": "nearest-code"}   <- {"ok": true}
  -> {"cmd": "run", "reps": 5, "warmMs": 1000}   <- {"ms": [...]}  (untimed for warmMs first)
  -> {"cmd": "dispose"}                           <- {"ok": true}

The models mirror lib/vqvae.ts and VAR's multi-scale quantizer (models/quant.py) layer for layer,
in PyTorch's NCHW layout. Threads: torch.set_num_threads($VQVAR_TORCH_THREADS, default 2).
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("VQVAR_TORCH_THREADS", "2")))
torch.manual_seed(0)

VAR_PATCH_NUMS = [1, 2, 3, 4, 5, 6, 8, 10, 13, 16]


def nearest(z_nc, e_vc):
    """VAR's code choice (models/quant.py): |z|^2 + |e|^2, then addmm_ of -2 z e^T, argmin."""
    d = torch.sum(z_nc.square(), dim=1, keepdim=True) + torch.sum(e_vc.square(), dim=1)
    d.addmm_(z_nc, e_vc.T, alpha=-2, beta=1)
    return torch.argmin(d, dim=1)


class Phi(nn.Conv2d):
    def __init__(self, c, resi):
        super().__init__(c, c, 3, padding=1)
        self.resi = abs(resi)

    def forward(self, h):
        return h.mul(1 - self.resi) + super().forward(h).mul_(self.resi)


class MultiScaleVQ(nn.Module):
    """VAR's VectorQuantizer2: residual quantization over scales, shared phi (K = 4)."""

    def __init__(self, vocab, c, patch_nums, beta=0.25, resi=0.5, share=4):
        super().__init__()
        self.vocab, self.c, self.pn, self.beta = vocab, c, patch_nums, beta
        self.embedding = nn.Embedding(vocab, c)
        self.embedding.weight.data.uniform_(-1 / vocab, 1 / vocab)
        self.phis = nn.ModuleList([Phi(c, resi) for _ in range(share)])
        k = share
        ticks = torch.linspace(1 / 3 / k, 1 - 1 / 3 / k, k) if k == 4 else torch.linspace(1 / 2 / k, 1 - 1 / 2 / k, k)
        sn = len(patch_nums)
        self.phi_of = [int((ticks - si / max(1, sn - 1)).abs().argmin()) for si in range(sn)]

    def nearest(self, z_nc):
        return nearest(z_nc, self.embedding.weight.data)

    def forward(self, f, on_scale=None):
        """f_hat (straight-through) and the VQ loss; `on_scale(si, idx, rest_nc)` sees each scale."""
        b, c, h, w = f.shape
        f_no_grad = f.detach()
        f_rest = f_no_grad.clone()
        f_hat = torch.zeros_like(f_rest)
        loss = 0.0
        sn = len(self.pn)
        for si, pn in enumerate(self.pn):
            rest = f_rest if si == sn - 1 else F.interpolate(f_rest, size=(pn, pn), mode="area")
            rest_nc = rest.permute(0, 2, 3, 1).reshape(-1, c)
            idx = self.nearest(rest_nc)
            if on_scale is not None:
                on_scale(si, idx, rest_nc)
            hq = self.embedding(idx).view(b, pn, pn, c).permute(0, 3, 1, 2)
            if si != sn - 1:
                hq = F.interpolate(hq, size=(h, w), mode="bicubic")
            hq = self.phis[self.phi_of[si]](hq)
            f_hat = f_hat + hq
            f_rest = f_rest - hq
            loss = loss + F.mse_loss(f_hat.data, f).mul(self.beta) + F.mse_loss(f_hat, f_no_grad)
        f_hat = (f_hat.data - f_no_grad).add_(f)
        return f_hat, loss / sn

    @torch.no_grad()
    def f_to_idxBl(self, f):
        b, c, h, w = f.shape
        f_rest = f.clone()
        f_hat = torch.zeros_like(f)
        out = []
        for si, pn in enumerate(self.pn):
            rest = F.interpolate(f_rest, size=(pn, pn), mode="area") if pn != h else f_rest
            idx = self.nearest(rest.permute(0, 2, 3, 1).reshape(-1, c))
            out.append(idx.view(b, pn * pn))
            hq = self.embedding(idx).view(b, pn, pn, c).permute(0, 3, 1, 2)
            if pn != h:
                hq = F.interpolate(hq, size=(h, w), mode="bicubic")
            hq = self.phis[self.phi_of[si]](hq)
            f_hat.add_(hq)
            f_rest.sub_(hq)
        return out

    @torch.no_grad()
    def idxBl_to_var_input(self, idxBl):
        b = idxBl[0].shape[0]
        h = self.pn[-1]
        f_hat = torch.zeros(b, self.c, h, h)
        nxt = []
        for si in range(len(self.pn) - 1):
            pn = self.pn[si]
            hq = self.embedding(idxBl[si]).transpose(1, 2).view(b, self.c, pn, pn)
            hq = F.interpolate(hq, size=(h, h), mode="bicubic")
            f_hat.add_(self.phis[self.phi_of[si]](hq))
            pn1 = self.pn[si + 1]
            nxt.append(F.interpolate(f_hat, size=(pn1, pn1), mode="area").view(b, self.c, -1))
        return torch.cat(nxt, dim=2).transpose(1, 2)


class ResBlock(nn.Module):
    def __init__(self, ch, hidden):
        super().__init__()
        self.c1 = nn.Conv2d(ch, hidden, 3, padding=1)
        self.c2 = nn.Conv2d(hidden, ch, 1)

    def forward(self, x):
        return x + self.c2(F.relu(self.c1(F.relu(x))))


class VQVAE(nn.Module):
    """lib/vqvae.ts VQVAE: two k4 s2 convs down, stem, res blocks, 1x1 to latents; mirror up."""

    def __init__(self, ci=1, ch=64, cv=32, res=2, vocab=512, patch_nums=(1, 2, 3, 4, 5, 7)):
        super().__init__()
        half = ch // 2
        self.down = nn.ModuleList([nn.Conv2d(ci, half, 4, 2, 1), nn.Conv2d(half, ch, 4, 2, 1)])
        self.stem = nn.Conv2d(ch, ch, 3, padding=1)
        self.enc = nn.ModuleList([ResBlock(ch, half) for _ in range(res)])
        self.to_latent = nn.Conv2d(ch, cv, 1)
        self.quant = MultiScaleVQ(vocab, cv, list(patch_nums))
        self.from_latent = nn.Conv2d(cv, ch, 3, padding=1)
        self.dec = nn.ModuleList([ResBlock(ch, half) for _ in range(res)])
        self.up = nn.ModuleList([nn.ConvTranspose2d(ch, half, 4, 2, 1), nn.ConvTranspose2d(half, ci, 4, 2, 1)])

    def encode(self, x):
        h = x
        for d in self.down:
            h = F.relu(d(h))
        h = self.stem(h)
        for b in self.enc:
            h = b(h)
        return self.to_latent(F.relu(h))

    def decode(self, f_hat):
        h = self.from_latent(f_hat)
        for b in self.dec:
            h = b(h)
        for u in self.up:
            h = u(F.relu(h))
        return torch.sigmoid(h)

    def forward(self, x, on_scale=None):
        f_hat, vq = self.quant(self.encode(x), on_scale)
        return self.decode(f_hat), vq


class SimpleVQVAE(nn.Module):
    """The seed's model: conv k4 s2 -> ReLU -> conv k4 s2 -> quantizer -> convT x2."""

    def __init__(self, ci=3, ch=128, cv=64, vocab=512, patch_nums=(1, 2, 4, 8, 16)):
        super().__init__()
        self.e1 = nn.Conv2d(ci, ch, 4, 2, 1)
        self.e2 = nn.Conv2d(ch, cv, 4, 2, 1)
        self.quant = MultiScaleVQ(vocab, cv, list(patch_nums))
        self.d1 = nn.ConvTranspose2d(cv, ch, 4, 2, 1)
        self.d2 = nn.ConvTranspose2d(ch, ci, 4, 2, 1)

    def forward(self, x):
        f_hat, vq = self.quant(self.e2(F.relu(self.e1(x))))
        return torch.sigmoid(self.d2(F.relu(self.d1(f_hat)))), vq


def train_step(model, x, loss_of=None, params=None):
    """One Adam step per run: of the whole model's loss, or of `loss_of()` over `params`."""
    opt = torch.optim.Adam(model.parameters() if params is None else params, lr=1e-3)

    def full():
        x_hat, vq = model(x)
        return F.mse_loss(x_hat, x) + vq

    loss_of = loss_of or full

    def run():
        opt.zero_grad(set_to_none=True)
        loss = loss_of()
        loss.backward()
        opt.step()
        loss.item()

    return run


def encoder_params(m):
    return [p for n, p in m.named_parameters() if n.startswith(("e1.", "e2.", "down.", "stem.", "enc.", "to_latent."))]


def decoder_params(m):
    return [p for n, p in m.named_parameters() if n.startswith(("d1.", "d2.", "from_latent.", "dec.", "up."))]


def encode(m, x):
    return m.encode(x) if isinstance(m, VQVAE) else m.e2(F.relu(m.e1(x)))


def decode(m, f):
    return m.decode(f) if isinstance(m, VQVAE) else torch.sigmoid(m.d2(F.relu(m.d1(f))))


def part(name, p):
    """The breakdown of a training step (bench/workloads.ts `parts`, same definitions)."""
    m, x = (SimpleVQVAE(), torch.rand(32, 3, 64, 64)) if name == "train-simple-vqvae" else (VQVAE(), torch.rand(128, 1, 28, 28))
    latent = 16 if name == "train-simple-vqvae" else 7
    f = torch.randn(x.shape[0], m.quant.c, latent, latent) * 0.5
    if p == "no-quantizer":
        return train_step(m, x, lambda: F.mse_loss(decode(m, encode(m, x)), x), encoder_params(m) + decoder_params(m))
    if p == "encoder":
        return train_step(m, x, lambda: encode(m, x).square().mean(), encoder_params(m))
    if p == "decoder":
        return train_step(m, x, lambda: F.mse_loss(decode(m, f), x), decoder_params(m))
    if p == "quantizer":
        return train_step(m, x, lambda: m.quant(f)[1], list(m.quant.parameters()))
    raise ValueError(f"unknown part {p}")


def setup(name):
    if "/" in name:
        return part(*name.split("/"))
    if name == "train-simple-vqvae":
        return train_step(SimpleVQVAE(), torch.rand(32, 3, 64, 64))
    if name == "train-vqvae-multiscale":
        return train_step(VQVAE(), torch.rand(128, 1, 28, 28))
    if name == "nearest-code":
        z, e = torch.randn(16384, 32), torch.randn(4096, 32)

        def run():
            with torch.no_grad():
                nearest(z, e).numpy()

        return run
    if name in ("fToIdxBl-var", "idxBlToVarInput-var"):
        q = MultiScaleVQ(4096, 32, VAR_PATCH_NUMS)
        f = torch.randn(16, 32, 16, 16)
        if name == "fToIdxBl-var":
            return lambda: [t.numpy() for t in q.f_to_idxBl(f)]
        idxBl = q.f_to_idxBl(f)
        return lambda: q.idxBl_to_var_input(idxBl).numpy()
    if name == "op-overhead":
        x, y = torch.ones(8), torch.ones(8)

        def run():
            for _ in range(1000):
                x + y

        return run
    raise ValueError(f"unknown workload {name}")


def main():
    send = lambda o: (sys.stdout.write(json.dumps(o) + "\n"), sys.stdout.flush())
    config = torch.__config__.show()
    send({"ready": True, "runtime": "python", "backend": "pytorch",
          "versions": {
              "torch": torch.__version__,
              "threads": torch.get_num_threads(),
              "interopThreads": torch.get_num_interop_threads(),
              "mkldnn": bool(torch.backends.mkldnn.is_available()),
              "mkl": bool(torch.backends.mkl.is_available()),
              "cpuCapability": torch.backends.cpu.get_cpu_capability(),
              "build": [l.strip() for l in config.splitlines()
                        if any(k in l for k in ("MKL", "oneDNN", "OpenMP", "CPU capability"))
                        and "Build settings" not in l],
          }})
    run = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            if msg["cmd"] == "setup":
                run = setup(msg["name"])
                run()
                run()
                send({"ok": True})
            elif msg["cmd"] == "run":
                warm = time.perf_counter()
                while (time.perf_counter() - warm) * 1000 < msg.get("warmMs", 0):
                    run()
                ms = []
                for _ in range(msg["reps"]):
                    t0 = time.perf_counter()
                    run()
                    ms.append((time.perf_counter() - t0) * 1000)
                send({"ms": ms})
            elif msg["cmd"] == "dispose":
                run = None
                send({"ok": True})
        except Exception as err:  # reported to the coordinator
            send({"error": f"{type(err).__name__}: {err}"})


if __name__ == "__main__":
    main()
