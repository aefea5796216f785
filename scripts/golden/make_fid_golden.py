"""Reference Fréchet distances for lib/train/fid_test.ts, computed the way pytorch-fid and
TTUR compute FID: means, covariances (np.cov, N − 1), and the trace of scipy.linalg.sqrtm of the
product of the covariances (real part).

    python -m venv /tmp/fidenv && /tmp/fidenv/bin/pip install numpy scipy
    /tmp/fidenv/bin/python scripts/golden/make_fid_golden.py > lib/testdata/golden/fid.json
"""

import json
import sys

import numpy as np
from scipy import linalg


def fid(a: np.ndarray, b: np.ndarray) -> float:
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(s1.dot(s2))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


rng = np.random.RandomState(0)
cases = []
# Well conditioned: two correlated Gaussians with different means, D = 8.
mix = rng.normal(size=(8, 8))
a = rng.normal(size=(300, 8)).astype(np.float32)
b = (rng.normal(size=(200, 8)) @ mix * 0.5 + 0.7).astype(np.float32)
cases.append(("correlated, D = 8", a, b))
# Same distribution, two samples: a small distance.
c = rng.normal(size=(400, 6)).astype(np.float32)
d = rng.normal(size=(400, 6)).astype(np.float32)
cases.append(("same distribution, D = 6", c, d))
# Non-negative features of very different scales, as after a ReLU, D = 12.
e = np.maximum(rng.normal(size=(250, 12)) * np.linspace(0.1, 3, 12), 0).astype(np.float32)
f = np.maximum(rng.normal(size=(250, 12)) * np.linspace(3, 0.1, 12) + 0.2, 0).astype(np.float32)
cases.append(("ReLU-like, scales 0.1..3, D = 12", e, f))

out = {
    "what": "Fréchet distance of feature sets a [N, D], b [M, D] (float32 data); fid from float64 numpy/scipy",
    "cases": [
        {"name": name, "a": {"shape": list(x.shape), "data": x.ravel().tolist()},
         "b": {"shape": list(y.shape), "data": y.ravel().tolist()},
         "fid": fid(x.astype(np.float64), y.astype(np.float64))}
        for name, x, y in cases
    ],
}
json.dump(out, sys.stdout)
sys.stdout.write("\n")
