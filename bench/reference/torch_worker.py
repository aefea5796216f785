"""PyTorch reference of the benchmark workloads (bench/workloads.ts), same JSON-lines protocol
as bench/worker.ts, so bench/run.ts can alternate the two in one run:

  -> {"cmd": "setup", "name": "nearest-code"}   <- {"ok": true}
  -> {"cmd": "run", "reps": 5, "warmMs": 1000}   <- {"ms": [...]}  (untimed for warmMs first)
  -> {"cmd": "dispose"}                           <- {"ok": true}

The models mirror lib/vqvae.ts and VAR's multi-scale quantizer (models/quant.py) layer for layer,
in PyTorch's NCHW layout; the generator workloads mirror lib/models/var.ts (`python3
torch_worker.py --count-parameters` prints its parameter counts). Threads: torch.set_num_threads($VQVAR_TORCH_THREADS, default 2).
"""
import json
import math
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


# --- The generator (lib/models/var.ts), layer for layer -------------------------------------

VAR_PN = [1, 2, 3, 4, 5, 7]
VAR_SHIPPED = dict(vocab=512, cvae=32, patch_nums=VAR_PN, num_classes=10, depth=3, width=128, heads=4,
                   mlp_ratio=4, cond_drop=0.1)
VAR_CONFIGS = {
    "train-var-next-scale": VAR_SHIPPED,
    "train-var-raster": {**VAR_SHIPPED, "patch_nums": [1] * 49},
    "train-var-wide": {**VAR_SHIPPED, "width": 256, "heads": 8},
}
VAR_BATCH = 64


def trunc_normal(t, std):
    """tf.truncatedNormal: normal(0, std) redrawn beyond 2 std (nn.init's a, b are absolute)."""
    return nn.init.trunc_normal_(t, std=std, a=-2 * std, b=2 * std)


def linear(i, o, std):
    """Linear with a truncated-normal weight (std) or zeros (std 0), zero bias."""
    m = nn.Linear(i, o)
    if std > 0:
        trunc_normal(m.weight, std)
    else:
        nn.init.zeros_(m.weight)
    nn.init.zeros_(m.bias)
    return m


def ln(x):
    return F.layer_norm(x, x.shape[-1:], eps=1e-6)


class AdaLNBlock(nn.Module):
    """A block of lib/models/var.ts with adaLN ("plain" init): SiLU(cond) -> Linear(D, 6D) ->
    gamma1, gamma2, scale1, scale2, shift1, shift2; attention; GELU as x*sigmoid(1.702x)."""

    def __init__(self, d, heads, mlp_ratio, depth):
        super().__init__()
        self.d, self.heads = d, heads
        out_std = 0.02 / math.sqrt(2 * depth)
        self.ada = linear(d, 6 * d, 0)  # zero weights; bias: ones for the two gammas
        with torch.no_grad():
            self.ada.bias[: 2 * d] = 1
        self.qkv = linear(d, 3 * d, 0.02)
        self.proj = linear(d, d, out_std)
        self.fc1 = linear(d, mlp_ratio * d, 0.02)
        self.fc2 = linear(mlp_ratio * d, d, out_std)

    def forward(self, x, cond, mask=None, kv=None):
        b, n, d = x.shape
        g1, g2, s1, s2, sh1, sh2 = self.ada(F.silu(cond)).view(-1, 1, 6, d).unbind(2)
        qkv = self.qkv(ln(x) * (s1 + 1) + sh1).view(b, n, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # [B, H, n, dh]
        if kv is not None:  # KV cache: a list [k, v] per block
            if kv:
                k, v = torch.cat([kv[0], k], 2), torch.cat([kv[1], v], 2)
            kv[:] = [k, v]
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.proj(att.transpose(1, 2).reshape(b, n, d)) * g1
        h = self.fc1(ln(x) * (s2 + 1) + sh2)
        return x + self.fc2(h * torch.sigmoid(1.702 * h)) * g2


class VAR(nn.Module):
    """lib/models/var.ts's VAR (adaLN, plain init, no attention normalisation)."""

    def __init__(self, vocab, cvae, patch_nums, num_classes, depth, width, heads, mlp_ratio, cond_drop):
        super().__init__()
        d = width
        self.vocab, self.pn, self.num_classes, self.cond_drop, self.d = vocab, patch_nums, num_classes, cond_drop, d
        self.first = patch_nums[0] ** 2
        lvl = torch.cat([torch.full((pn * pn,), si) for si, pn in enumerate(patch_nums)])
        self.L = len(lvl)
        self.register_buffer("lvl", lvl)
        # VAR's attn_bias_for_masking: 0 where level(key) <= level(query), -inf elsewhere
        self.register_buffer("mask", torch.where(lvl[:, None] >= lvl[None, :], 0.0, float("-inf")))
        self.class_emb = nn.Embedding(num_classes + 1, d)
        self.pos_start = nn.Parameter(torch.empty(self.first, d))
        self.pos_embed = nn.Parameter(torch.empty(self.L, d))
        self.lvl_embed = nn.Embedding(len(patch_nums), d)
        for t in (self.class_emb.weight, self.pos_start, self.pos_embed, self.lvl_embed.weight):
            trunc_normal(t, 0.02)
        self.word_embed = linear(cvae, d, 0.02)
        self.blocks = nn.ModuleList([AdaLNBlock(d, heads, mlp_ratio, depth) for _ in range(depth)])
        self.head_ada = linear(d, 2 * d, 0)
        self.head = linear(d, vocab, 0.02)

    def lvl_pos(self, start, n):
        return self.lvl_embed(self.lvl[start:start + n]) + self.pos_embed[start:start + n]

    def start_tokens(self, cond):
        return cond[:, None] + self.pos_start + self.lvl_pos(0, self.first)

    def word_tokens(self, x_bnc, start):
        return self.word_embed(x_bnc) + self.lvl_pos(start, x_bnc.shape[1])

    def logits(self, x, cond):
        scale, shift = self.head_ada(F.silu(cond)).view(-1, 1, 2, self.d).unbind(2)
        return self.head(ln(x) * (scale + 1) + shift)

    def forward(self, labels, x_blc):
        cond = self.class_emb(labels)
        x = torch.cat([self.start_tokens(cond), self.word_tokens(x_blc, self.first)], 1)
        for b in self.blocks:
            x = b(x, cond, self.mask)
        return self.logits(x, cond)

    def loss(self, labels, x_blc, tok_bl):
        """Cross-entropy over all positions, class dropout; and the mean loss per scale."""
        labels = torch.where(torch.rand(labels.shape[0]) < self.cond_drop, self.num_classes, labels)
        logits = self.forward(labels, x_blc)
        nll = F.cross_entropy(logits.view(-1, self.vocab), tok_bl.view(-1), reduction="none")
        nll = nll.view(tok_bl.shape)
        with torch.no_grad():
            sizes = torch.tensor([pn * pn for pn in self.pn], dtype=torch.float32)
            per = torch.zeros(len(self.pn)).index_add_(0, self.lvl, nll.mean(0)) / sizes
        return nll.mean(), per


def var_train_step(name, b=VAR_BATCH):
    """One trainVAR step: teacher-forcing input (no grad), loss, backward, Adam; read back."""
    cfg = VAR_CONFIGS[name]
    raster = name == "train-var-raster"
    model = VAR(**cfg)
    tok = torch.randint(0, cfg["vocab"], (b, model.L))
    labels = torch.randint(0, cfg["num_classes"], (b,))
    if raster:  # a single-scale quantizer's codebook; the input of token i is token i-1's code
        codebook = nn.Embedding(cfg["vocab"], cfg["cvae"])
        codebook.weight.data.uniform_(-1 / cfg["vocab"], 1 / cfg["vocab"])
        var_input = lambda: codebook(tok[:, : model.L - 1])
    else:
        q = MultiScaleVQ(cfg["vocab"], cfg["cvae"], cfg["patch_nums"])
        idxBl = list(tok.split([pn * pn for pn in cfg["patch_nums"]], 1))
        var_input = lambda: q.idxBl_to_var_input(idxBl)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.95))

    def run():
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            x = var_input()
        loss, per = model.loss(labels, x, tok)
        loss.backward()
        opt.step()
        loss.item()
        per.tolist()

    return run


@torch.inference_mode()
def var_generate(model, q, labels, cfg=1.5, seed=0):
    """VAR.generateScales: KV cache, guidance t = cfg*si/(SN-1) on a doubled batch, sampling
    from the softmax (no top-k / top-p), f_hat += phi(upsampled codes), next input = area
    downsampling of f_hat."""
    gen = torch.Generator().manual_seed(seed)
    b, pn, sn, h = len(labels), model.pn, len(model.pn), model.pn[-1]
    cond = model.class_emb(torch.tensor(labels + [model.num_classes] * b))
    x = model.start_tokens(cond)
    caches = [[] for _ in model.blocks]
    f_hat = torch.zeros(b, q.c, h, h)
    idxBl, start = [], 0
    for si, p in enumerate(pn):
        for blk, kv in zip(model.blocks, caches):
            x = blk(x, cond, None, kv)
        c, u = model.logits(x, cond).chunk(2)
        t = cfg * si / max(1, sn - 1)
        logits = (1 + t) * c - t * u
        idx = torch.multinomial(logits.view(-1, model.vocab).softmax(-1), 1, generator=gen).view(b, p * p)
        idxBl.append(idx)
        hq = q.embedding(idx).transpose(1, 2).reshape(b, q.c, p, p)
        if p != h:
            hq = F.interpolate(hq, size=(h, h), mode="bicubic")
        f_hat.add_(q.phis[q.phi_of[si]](hq))
        start += p * p
        if si < sn - 1:
            p1 = pn[si + 1]
            nxt = F.interpolate(f_hat, size=(p1, p1), mode="area").view(b, q.c, -1).transpose(1, 2)
            w = model.word_tokens(nxt, start)
            x = torch.cat([w, w])
    return idxBl, f_hat


def var_sample(b):
    model = VAR(**VAR_SHIPPED)
    q = MultiScaleVQ(VAR_SHIPPED["vocab"], VAR_SHIPPED["cvae"], VAR_PN)
    labels = [i % 10 for i in range(b)]
    return lambda: var_generate(model, q, labels, cfg=1.5, seed=0)[1].numpy()


def var_parameter_counts():
    return {name: sum(p.numel() for p in VAR(**cfg).parameters()) for name, cfg in VAR_CONFIGS.items()}


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
    if name in VAR_CONFIGS:
        return var_train_step(name)
    if name in ("sample-var-b1", "sample-var-b250"):
        return var_sample(int(name.rsplit("b", 1)[1]))
    if name == "sgemm-peak":
        a, b = torch.randn(4096, 4096), torch.randn(4096, 4096)

        def run():
            with torch.no_grad():
                torch.mm(a, b)[:1, :1].numpy()

        return run
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
    if sys.argv[1:] == ["--count-parameters"]:
        print(json.dumps(var_parameter_counts()))
    else:
        main()
