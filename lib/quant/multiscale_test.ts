import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { type GoldenTensor, toTensor } from "../../testing/golden.ts";
import { MultiScaleQuantizer } from "./multiscale.ts";
import { phiIndexForScale } from "./phi.ts";
import { resize } from "../core/resize.ts";
import { stopGradient } from "./grad.ts";
import { assertClose, assertSameInts } from "../../testing/assert_tensors.ts";
import { quantizerStep } from "../../testing/quantizer_step.ts";
import varquantizerJson from "../testdata/golden/var_quantizer.json" with { type: "json" };

interface VarCase {
  config: {
    vocabSize: number;
    cvae: number;
    patchNums: number[];
    beta: number;
    quantResi: number;
    shareQuantResi: number;
    usingZnorm: boolean;
  };
  embedding: GoldenTensor;
  phi: { kernel: GoldenTensor; bias: GoldenTensor }[];
  f: GoldenTensor;
  idxBl: GoldenTensor[];
  fhatPerScale: GoldenTensor[];
  varInput: GoldenTensor;
  embedToFhat: GoldenTensor[];
  forward: {
    fHat: GoldenTensor;
    vqLoss: number;
    grad_f_of_sum_fhat_plus_loss: GoldenTensor;
    grad_embedding_of_sum_fhat_plus_loss: GoldenTensor;
  };
}
const golden = varquantizerJson as unknown as { cases: VarCase[] };

function quantizerOf(c: VarCase): MultiScaleQuantizer {
  const q = new MultiScaleQuantizer(c.config);
  tf.tidy(() => {
    q.setCodebook(toTensor(c.embedding));
    q.setPhi(c.phi.map((p) => ({ kernel: toTensor(p.kernel), bias: toTensor(p.bias) })));
  });
  return q;
}

for (const c of golden.cases) {
  const { patchNums, shareQuantResi, quantResi, usingZnorm } = c.config;
  const name = `pn [${patchNums}], qsr ${shareQuantResi}, qr ${quantResi}, znorm ${usingZnorm}`;

  Deno.test(`VAR golden (${name}): fToIdxBl, fToFhats, idxBlToVarInput, embedToFhat`, () => {
    const q = quantizerOf(c);
    tf.tidy(() => {
      const f = toTensor<tf.Rank.R4>(c.f);
      const idxBl = q.fToIdxBl(f);
      assertEquals(idxBl.length, patchNums.length);
      idxBl.forEach((idx, si) => assertSameInts(idx, c.idxBl[si], `idxBl[${si}]`));
      q.fToFhats(f).forEach((fh, si) => assertClose(fh, c.fhatPerScale[si], 1e-4, `fHat[${si}]`));
      assertClose(q.idxBlToVarInput(idxBl), c.varInput, 1e-4, "varInput");
      const msH = idxBl.map((idx, si) => q.embed(idx, patchNums[si]));
      q.embedToFhat(msH).forEach((fh, si) =>
        assertClose(fh, c.embedToFhat[si], 1e-4, `embedToFhat[${si}]`)
      );
      const last = q.idxBlToFhat(idxBl, { lastOnly: true });
      assertEquals(last.length, 1);
      assertClose(last[0], c.embedToFhat[patchNums.length - 1], 1e-4, "idxBlToFhat last");
    });
    q.dispose();
  });

  Deno.test(`VAR golden (${name}): training forward, loss and gradients`, () => {
    const q = quantizerOf(c);
    const f = tf.variable(toTensor<tf.Rank.R4>(c.f));
    const out = q.forward(f, { training: true });
    assertClose(out.fHat, c.forward.fHat, 1e-4, "forward fHat");
    assertAlmostEquals(out.loss.dataSync()[0], c.forward.vqLoss, 1e-4);
    const [b, h, w] = f.shape;
    assertEquals(q.usagePerScale(b * h * w).length, patchNums.length);
    tf.dispose([out.fHat, out.loss]);
    const { grads, value } = tf.variableGrads(() => {
      const o = q.forward(f, { training: false });
      return o.fHat.sum().add(o.loss) as tf.Scalar;
    }, [f, q.codebook]);
    assertClose(grads[f.name], c.forward.grad_f_of_sum_fhat_plus_loss, 1e-4, "grad f");
    assertClose(
      grads[q.codebook.name],
      c.forward.grad_embedding_of_sum_fhat_plus_loss,
      1e-4,
      "grad embedding",
    );
    tf.dispose([value, f, ...Object.values(grads)]);
    q.dispose();
  });
}

Deno.test("teacher forcing equals step-by-step nextAutoregressiveInput", () => {
  const c = golden.cases[0];
  const q = quantizerOf(c);
  tf.tidy(() => {
    const f = toTensor<tf.Rank.R4>(c.f);
    const idxBl = q.fToIdxBl(f);
    const b = f.shape[0];
    const hw = q.maxPatch;
    let fHat = tf.zeros([b, hw, hw, q.cvae]) as tf.Tensor4D;
    const inputs: tf.Tensor[] = [];
    for (let si = 0; si < q.scales; si++) {
      const [next, nextInput] = q.nextAutoregressiveInput(
        si,
        fHat,
        q.embed(idxBl[si], q.patchNums[si]),
      );
      fHat = next;
      if (si < q.scales - 1) {
        const pn = q.patchNums[si + 1];
        inputs.push(nextInput.reshape([b, pn * pn, q.cvae]));
      }
    }
    assertClose(tf.concat(inputs, 1), q.idxBlToVarInput(idxBl), 1e-6, "var input");
    assertClose(fHat, c.embedToFhat[q.scales - 1], 1e-4, "final fHat");
  });
  q.dispose();
});

Deno.test("generation's f̂ (nextAutoregressiveInput scale by scale) is idxBlToFhat's bit for bit", () => {
  // A random quantizer: codes and φ (kernels and biases) far from zero, tokens drawn at random.
  for (const shareQuantResi of [4, 0]) {
    const patchNums = [1, 2, 3, 5, 8];
    const q = new MultiScaleQuantizer({ vocabSize: 32, cvae: 8, patchNums, shareQuantResi });
    const c = q.cvae, b = 3, hw = q.maxPatch;
    tf.tidy(() => {
      q.setCodebook(tf.randomNormal([32, c], 0, 1, "float32", 1));
      q.setPhi(q.phis.map((_, k) => ({
        kernel: tf.randomNormal([3, 3, c, c], 0, 0.3, "float32", 10 + k),
        bias: tf.randomNormal([c], 0, 1, "float32", 20 + k),
      })));
      const idxBl = patchNums.map((pn, si) =>
        tf.randomUniform([b, pn * pn], 0, 32, "int32", 30 + si) as tf.Tensor2D
      );
      let fHat = tf.zeros([b, hw, hw, c]) as tf.Tensor4D;
      idxBl.forEach((idx, si) => {
        [fHat] = q.nextAutoregressiveInput(si, fHat, q.embed(idx, patchNums[si]));
      });
      const [decoded] = q.idxBlToFhat(idxBl, { lastOnly: true });
      const sameBits = (a: tf.Tensor, e: tf.Tensor, what: string) => {
        const diff = a.sub(e).abs().max().dataSync()[0];
        const equal = tf.equal(a, e).all().dataSync()[0];
        assertEquals([diff, equal], [0, 1], `qsr ${shareQuantResi}, ${what}: max |Δ| ${diff}`);
      };
      sameBits(fHat, decoded, "generation");
      // The forward pass's f̂ too, for the tokens it chose.
      const f = tf.randomNormal([b, hw, hw, c], 0, 1, "float32", 40) as tf.Tensor4D;
      const [fromTokens] = q.idxBlToFhat(q.fToIdxBl(f), { lastOnly: true });
      sameBits(q.fToFhats(f)[patchNums.length - 1], fromTokens, "forward");
    });
    q.dispose();
  }
});

Deno.test("phi ticks follow VAR (K = 4 uses 1/3/K margins)", () => {
  // SN = 10, K = 4: ticks 1/12, 5/12, 7/12, 11/12.
  const picks = Array.from({ length: 10 }, (_, si) => phiIndexForScale(si, 10, 4));
  assertEquals(picks, [0, 0, 1, 1, 1, 2, 2, 3, 3, 3]);
  // K = 2: ticks 1/4, 3/4; the midpoint goes to the first, as np.argmin does.
  assertEquals(phiIndexForScale(1, 3, 2), 0);
  assertEquals(phiIndexForScale(0, 5, 1), 0);
});

Deno.test("quantResi: any finite number, φ blending with |quantResi| (VAR's abs(quant_resi))", () => {
  const ratios = [-0.5, 2, -2, 1e-7, -1e-7].map((quantResi) => {
    const q = new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [1, 2], quantResi });
    const r = [q.quantResi, q.phis.map((p) => p.ratio)];
    q.dispose();
    return r;
  });
  assertEquals(ratios, [
    [-0.5, Array(4).fill(0.5)],
    [2, Array(4).fill(2)],
    [-2, Array(4).fill(2)],
    [1e-7, []], // |quantResi| <= 1e-6: φ is the identity, as in VAR
    [-1e-7, []],
  ]);
  for (const quantResi of [NaN, Infinity, -Infinity, "0.5" as unknown as number]) {
    assertThrows(
      () => new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [1, 2], quantResi }),
      InputError,
      "quantResi (VAR's quant_resi) must be a finite number",
    );
  }
});

Deno.test("bad input is a clear error", () => {
  const base = { vocabSize: 8, cvae: 4, patchNums: [1, 2, 4] };
  assertThrows(
    () => new MultiScaleQuantizer({ ...base, patchNums: [1, 2.5, 4] }),
    Error,
    "patchNums[1]",
  );
  assertThrows(
    () => new MultiScaleQuantizer({ ...base, patchNums: [1, 4, 2] }),
    Error,
    "strictly increasing",
  );
  assertThrows(() => new MultiScaleQuantizer({ ...base, patchNums: [] }), Error, "non-empty");
  assertThrows(() => new MultiScaleQuantizer({ ...base, cvae: 0 }), Error, "cvae");
  const q = new MultiScaleQuantizer(base);
  const bad = [
    [tf.zeros([2, 4, 4]), "rank 4"],
    [tf.zeros([2, 5, 5, 4]), "last patch number 4"],
    [tf.zeros([2, 4, 4, 3]), "C=4"],
    [tf.tensor4d(Array(16).fill(NaN), [1, 4, 4, 1]).tile([1, 1, 1, 4]), "NaN"],
  ] as const;
  for (const [x, msg] of bad) {
    assertThrows(() => q.fToIdxBl(x as tf.Tensor4D), Error, msg);
    assertThrows(() => q.forward(x as tf.Tensor4D), Error, msg);
  }
  const ok = [tf.zeros([2, 1], "int32"), tf.zeros([2, 4], "int32"), tf.zeros([2, 16], "int32")];
  const outOfRange = [ok[0], tf.fill([2, 4], 8, "int32"), ok[2]];
  assertThrows(
    () => q.idxBlToVarInput(outOfRange as tf.Tensor2D[]),
    InputError,
    "idxBl[1] must hold indices in [0, 7]",
  );
  const wrongShape = [ok[0], tf.zeros([2, 9], "int32"), ok[2]];
  assertThrows(
    () => q.idxBlToFhat(wrongShape as tf.Tensor2D[]),
    Error,
    "idxBl[1] must be [B=2, 4]",
  );
  const floats = [tf.zeros([2, 1]), ok[1], ok[2]];
  assertThrows(() => q.idxBlToVarInput(floats as tf.Tensor2D[]), Error, "int32");
  assertThrows(() => q.idxBlToVarInput([ok[0]] as tf.Tensor2D[]), Error, "list of 2..3");
  const e = tf.zeros([8, 5]) as tf.Tensor2D;
  assertThrows(() => q.setCodebook(e), Error, "[vocabSize=8, cvae=4]");
  const e2 = tf.zeros([8, 4]) as tf.Tensor2D;
  assertThrows(() => q.setPhi([]), Error, "4 kernels");
  tf.dispose([...bad.map(([x]) => x), ...ok, outOfRange[1], wrongShape[1], floats[0], e, e2]);
  q.dispose();
});

Deno.test("100 training steps leave tf.memory().numTensors unchanged", () => {
  const q = new MultiScaleQuantizer({ vocabSize: 32, cvae: 8, patchNums: [1, 2, 3, 4] });
  const f = tf.variable(tf.randomNormal([2, 4, 4, 8]));
  const opt = tf.train.adam(1e-3);
  const step = () => quantizerStep(q, f, opt);
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 100; i++) step();
  assertEquals(tf.memory().numTensors, before);
  tf.tidy(() => {
    const idxBl = q.fToIdxBl(f as tf.Tensor4D);
    q.idxBlToVarInput(idxBl);
    q.idxBlToFhat(idxBl);
  });
  assertEquals(tf.memory().numTensors, before);
  opt.dispose();
  f.dispose();
  q.dispose();
});

Deno.test("dead-code restart brings unused codes back onto recent residuals", () => {
  const q = new MultiScaleQuantizer({ vocabSize: 16, cvae: 4, patchNums: [1, 2, 4], seed: 1 });
  const f = tf.randomNormal([2, 4, 4, 4], 3, 0.1, "float32", 5) as tf.Tensor4D;
  // All codes start near 0: f's vectors near 3 pick very few of them.
  const o = q.forward(f, { training: true });
  tf.dispose([o.fHat, o.loss]);
  const restarted = q.restartDeadCodes();
  assertEquals(restarted > 8, true, `${restarted} restarted`);
  const usedAfter = tf.tidy(() => {
    const idx = q.fToIdxBl(f);
    return new Set(idx.flatMap((t) => Array.from(t.dataSync()))).size;
  });
  assertEquals(usedAfter > 3, true, `${usedAfter} codes used after restart`);
  f.dispose();
  q.dispose();
});

Deno.test("the written-out VQ-loss gradient equals autodiff through the scales, φ included", () => {
  // Reference: the loss built from public pieces and differentiated by tfjs, with the same
  // codes (VAR's mean over scales of β·mse(sg(f̂_k), f) + mse(f̂_k, sg(f))).
  for (const c of golden.cases) {
    const q = quantizerOf(c);
    const f = tf.variable(toTensor<tf.Rank.R4>(c.f));
    const idxBl = q.fToIdxBl(f);
    const vars = [f, ...q.trainableVariables];
    const reference = tf.variableGrads(() => {
      const hw = q.maxPatch, beta = q.beta;
      let fHat: tf.Tensor | undefined;
      let loss: tf.Tensor = tf.scalar(0);
      idxBl.forEach((idx, si) => {
        const pn = q.patchNums[si];
        const codes = (q.lookup(idx) as tf.Tensor4D).reshape([-1, pn, pn, q.cvae]) as tf.Tensor4D;
        const up = pn === hw ? codes : resize(codes, [hw, hw], "bicubic");
        const h = q.phi(si, up);
        fHat = fHat ? fHat.add(h) : h;
        const mse = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).square().mean();
        loss = loss.add(mse(stopGradient(fHat), f).mul(beta)).add(mse(fHat, stopGradient(f)));
      });
      return loss.div(q.scales) as tf.Scalar;
    }, vars);
    const ours = tf.variableGrads(() => q.forward(f).loss, vars);
    assertAlmostEquals(ours.value.dataSync()[0], reference.value.dataSync()[0], 1e-6);
    for (const v of vars) {
      const scale = Math.max(1e-8, reference.grads[v.name].abs().max().dataSync()[0]);
      assertClose(ours.grads[v.name].div(scale), reference.grads[v.name].div(scale), 1e-5, v.name);
    }
    tf.dispose([f, ...idxBl, ours.value, reference.value]);
    tf.dispose([...Object.values(ours.grads), ...Object.values(reference.grads)]);
    q.dispose();
  }
});
