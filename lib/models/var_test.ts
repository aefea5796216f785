import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { FlatAdam } from "../train/optim.ts";
import { seededRandom } from "../core/random.ts";
import { sampleTokens, VAR, type VARConfig } from "./var.ts";
import { tensorsNow } from "../core/tensor_caches.ts";
import { editKeepFlags, scaleOffsets } from "./var_mask.ts";

const patchNums = [1, 2, 3, 4];
const small = { vocabSize: 16, cvae: 8, patchNums, numClasses: 3, depth: 2, width: 32, heads: 4 };

function setup(extra: Partial<VARConfig> = {}) {
  const quantizer = new MultiScaleQuantizer({ vocabSize: 16, cvae: 8, patchNums, seed: 1 });
  tf.tidy(() => quantizer.codebook.assign(tf.randomNormal([16, 8], 0, 1, "float32", 2)));
  const model = new VAR({ ...small, seed: 3, ...extra });
  const f = tf.randomNormal([2, 4, 4, 8], 0, 1, "float32", 4) as tf.Tensor4D;
  const idxBl = quantizer.fToIdxBl(f);
  f.dispose();
  return { quantizer, model, idxBl };
}

Deno.test("VAR forward: logits for every position; bad input is a clear error", () => {
  const { quantizer, model, idxBl } = setup();
  const x = quantizer.idxBlToVarInput(idxBl);
  const labels = tf.tensor1d([0, 2], "int32");
  const logits = model.forward(labels, x);
  assertEquals(logits.shape, [2, 30, 16]);
  assertThrows(() => model.forward(labels, x.slice([0, 1, 0], [-1, -1, -1])), Error, "[B, 29, 8]");
  assertThrows(() => model.forward(tf.tensor1d([0], "int32"), x), Error, "1 labels");
  assertThrows(() => model.generate(quantizer, [3]), Error, "class indices");
  assertThrows(() => new VAR({ ...small, width: 30 }), Error, "divisible");
  tf.dispose([x, labels, logits, ...idxBl]);
  model.dispose();
  quantizer.dispose();
});

const variants: Partial<VARConfig>[] = [
  { adaLN: true },
  { adaLN: false },
  { attnNorm: true, adaLNInit: "var" },
];
for (const extra of variants) {
  Deno.test(`causality (${JSON.stringify(extra)}): logits of scale k ignore the tokens of scales ≥ k`, () => {
    const { quantizer, model, idxBl } = setup(extra);
    const labels = tf.tensor1d([1, 2], "int32");
    const offsets = scaleOffsets(patchNums);
    const k = 2;
    const changed = idxBl.map((t, si) =>
      si >= k
        ? tf.tidy(() => t.add(tf.scalar(5, "int32")).mod(tf.scalar(16, "int32"))) as tf.Tensor2D
        : t.clone()
    );
    const [a, b] = [idxBl, changed].map((ib) =>
      tf.tidy(() => model.forward(labels, quantizer.idxBlToVarInput(ib)))
    );
    const upTo = offsets[k][0] + offsets[k][1]; // positions of scales 0..k
    const same = tf.tidy(() =>
      a.slice([0, 0, 0], [-1, upTo, -1]).sub(b.slice([0, 0, 0], [-1, upTo, -1])).abs().max()
        .dataSync()[0]
    );
    const later = tf.tidy(() =>
      a.slice([0, upTo, 0], [-1, -1, -1]).sub(b.slice([0, upTo, 0], [-1, -1, -1])).abs().max()
        .dataSync()[0]
    );
    assert(same < 1e-5, `scales ≤ ${k} changed by ${same}`);
    assert(later > 1e-4, `scale ${k + 1} did not see the change (${later})`);
    tf.dispose([a, b, labels, ...idxBl, ...changed]);
    model.dispose();
    quantizer.dispose();
  });
}

Deno.test("KV-cached generation equals uncached generation for a fixed seed (attention norm too)", () => {
  for (const extra of [{}, { attnNorm: true }]) checkCache(extra);
});

function checkCache(extra: Partial<VARConfig>) {
  const { quantizer, model, idxBl } = setup(extra);
  for (const cfg of [0, 2]) {
    const a = model.generate(quantizer, [0, 1, 2], { cfg, topK: 8, topP: 0.9, seed: 7 });
    const b = model.generate(quantizer, [0, 1, 2], {
      cfg,
      topK: 8,
      topP: 0.9,
      seed: 7,
      useCache: false,
    });
    a.idxBl.forEach((t, si) => assertEquals(t.arraySync(), b.idxBl[si].arraySync(), `scale ${si}`));
    const d = tf.tidy(() => a.fHat.sub(b.fHat).abs().max().dataSync()[0]);
    assert(d < 1e-5, `fHat differs by ${d}`);
    assertEquals(a.idxBl.map((t) => t.shape), patchNums.map((pn) => [3, pn * pn]));
    tf.dispose([...a.idxBl, ...b.idxBl, a.fHat, b.fHat]);
  }
  // A different seed samples differently.
  const c = model.generate(quantizer, [0, 1, 2], { seed: 8 });
  const d = model.generate(quantizer, [0, 1, 2], { seed: 9 });
  assert(c.idxBl.some((t, si) => String(t.dataSync()) !== String(d.idxBl[si].dataSync())));
  tf.dispose([...c.idxBl, ...d.idxBl, c.fHat, d.fHat, ...idxBl]);
  model.dispose();
  quantizer.dispose();
}

Deno.test("VAR's recipe: attention norm adds a learned scale per head at ln 4; VAR's AdaLN init puts the gates' weights near zero, the scales' and shifts' at half, biases at zero; AdamW decays the matrices", () => {
  const plain = new VAR({ ...small, seed: 3 });
  const varInit = new VAR({ ...small, seed: 3, attnNorm: true, adaLNInit: "var" });
  const scale = varInit.variables().get("blocks.0.attn.scaleMul")!;
  assertEquals(scale.shape, [1, small.heads, 1, 1]);
  assert(Math.abs(scale.dataSync()[0] - Math.log(4)) < 1e-6);
  assertEquals(plain.variables().has("blocks.0.attn.scaleMul"), false);
  // Gates (the first 2D columns of ada.w) at 1e-5 × N(0, 0.02²), scales and shifts at 0.5 ×.
  const w = varInit.variables().get("blocks.0.ada.w")!;
  const D = small.width;
  const [gates, rest] = tf.tidy(() =>
    [w.slice([0, 0], [-1, 2 * D]), w.slice([0, 2 * D], [-1, -1])].map((t) =>
      t.abs().max().dataSync()[0]
    )
  );
  assert(gates < 1e-6 && gates > 0, `gates ${gates}`);
  assert(rest > 0.005 && rest <= 0.02, `scales and shifts ${rest}`);
  assertEquals(varInit.variables().get("blocks.0.ada.b")!.dataSync().every((v) => v === 0), true);
  // Decay: matrices and the class embedding, not biases, scales or position embeddings.
  assertEquals(
    ["classEmb", "blocks.0.qkv.w", "blocks.0.qkv.b", "posEmbed", "blocks.0.attn.scaleMul"].map(
      VAR.decays,
    ),
    [true, true, false, false, false],
  );
  plain.dispose();
  varInit.dispose();
});

Deno.test("training steps lower the loss and leak no tensors; generation leaks none", () => {
  const { quantizer, model, idxBl } = setup();
  const x = quantizer.idxBlToVarInput(idxBl);
  const target = tf.concat(idxBl, 1) as tf.Tensor2D;
  const labels = tf.tensor1d([0, 1], "int32");
  const opt = new FlatAdam(model.trainableVariables, { learningRate: 3e-3 });
  const rand = seededRandom(0);
  const step = () => {
    let per: tf.Tensor1D | undefined;
    const loss = opt.minimize(() => {
      const out = model.loss(labels, x, target, rand);
      per = tf.keep(out.perScale);
      return out.loss;
    });
    const v = loss.dataSync()[0];
    tf.dispose([loss, per!]);
    return v;
  };
  const first = step();
  step();
  const before = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 30; i++) last = step();
  assertEquals(tf.memory().numTensors, before);
  assert(last < first * 0.8, `loss ${first} -> ${last}`);
  model.generate(quantizer, [0], { seed: 1 }).idxBl.forEach((t) => t.dispose()); // warm-up
  const g0 = tf.memory().numTensors;
  const g = model.generate(quantizer, [0, 1], { seed: 1 });
  tf.dispose([...g.idxBl, g.fHat]);
  assertEquals(tf.memory().numTensors, g0);
  tf.dispose([x, target, labels, ...idxBl]);
  opt.dispose();
  model.dispose();
  quantizer.dispose();
});

Deno.test("sampleTokens: top-k 1 is argmax; top-p keeps the nucleus", () => {
  const logits = tf.tensor2d([[0, 5, 1], [3, 0, 0]]);
  assertEquals(Array.from(sampleTokens(logits, 1, 1, seededRandom(0))), [1, 0]);
  // With p = 0.5 only the most likely code of each row survives.
  for (let s = 0; s < 5; s++) {
    assertEquals(Array.from(sampleTokens(logits, 0, 0.5, seededRandom(s))), [1, 0]);
  }
  logits.dispose();
});

Deno.test("generateScales yields each scale of generate; stopping early leaks nothing", () => {
  const { quantizer, model, idxBl } = setup();
  const options = { cfg: 2, topP: 0.9, seed: 5 };
  const whole = model.generate(quantizer, [0, 2], options);
  const seen: number[][] = [];
  const steps = model.generateScales(quantizer, [0, 2], options);
  let step = steps.next();
  while (!step.done) {
    assertEquals(step.value.fHat.shape, [2, 4, 4, 8]);
    seen.push(Array.from(step.value.idxBn.dataSync()));
    step = steps.next();
  }
  assertEquals(seen, whole.idxBl.map((t) => Array.from(t.dataSync())));
  tf.dispose([...whole.idxBl, whole.fHat, ...step.value.idxBl, step.value.fHat]);
  const before = tf.memory().numTensors;
  for (const { scale } of model.generateScales(quantizer, [1], options)) if (scale === 1) break;
  assertEquals(tf.memory().numTensors, before);
  tf.dispose(idxBl);
  model.dispose();
  quantizer.dispose();
});

Deno.test("generateScales' logits with every token forced and cfg 0 are forward's, through the KV cache", () => {
  for (const extra of [{}, { attnNorm: true, adaLN: false }] as Partial<VARConfig>[]) {
    const { quantizer, model, idxBl } = setup(extra);
    const labels = [0, 2];
    const teacherForced = tf.tidy(() =>
      model.forward(tf.tensor1d(labels, "int32"), quantizer.idxBlToVarInput(idxBl))
    );
    const keep = patchNums.map((pn) => new Array<boolean>(pn * pn).fill(true));
    const offsets = scaleOffsets(patchNums);
    const options = { cfg: 0, teacherForce: { idxBl, keep } };
    let worst = 0;
    for (const { scale, logits } of model.generateScales(quantizer, labels, options)) {
      const [start, n] = offsets[scale];
      worst = Math.max(
        worst,
        tf.tidy(() =>
          logits.sub(teacherForced.slice([0, start, 0], [-1, n, -1])).abs().max().dataSync()[0]
        ),
      );
    }
    assert(worst < 1e-4, `max |step by step − teacher forced| = ${worst}`);
    const before = tensorsNow(); // generation's graphs may hold tensors (lib's caches)
    tf.dispose(model.generate(quantizer, labels, options).idxBl);
    const now = tensorsNow();
    assertEquals(now.tensors - before.tensors, now.cached - before.cached + 1, "only f̂ is left");
    tf.dispose([teacherForced, ...idxBl]);
    model.dispose();
    quantizer.dispose();
  }
});

Deno.test("VAR teacherForce: kept tokens are the given ones, the rest sampled; all kept reproduces the image's f̂", () => {
  const { quantizer, model, idxBl } = setup();
  const all = patchNums.map((pn) => new Array(pn * pn).fill(true));
  const forced = model.generate(quantizer, [0, 1], {
    cfg: 2,
    seed: 5,
    teacherForce: { idxBl, keep: all },
  });
  forced.idxBl.forEach((t, si) => assertEquals(t.arraySync(), idxBl[si].arraySync()));
  // Generation adds φ's outputs as decoding does: the same f̂, bit for bit.
  const [fromTokens] = quantizer.idxBlToFhat(idxBl, { lastOnly: true });
  const diff = tf.tidy(() => forced.fHat.sub(fromTokens).abs().max().dataSync()[0]);
  assertEquals(diff, 0, `generated f̂ differs from idxBlToFhat's by up to ${diff}`);
  assert(tf.tidy(() => tf.equal(forced.fHat, fromTokens).all().dataSync()[0]) === 1);
  const some = patchNums.map((pn, si) =>
    Array.from({ length: pn * pn }, (_, j) => si === 3 && j % 2 === 0)
  );
  const partial = model.generate(quantizer, [0, 1], {
    cfg: 2,
    seed: 5,
    teacherForce: { idxBl, keep: some },
  });
  const last = partial.idxBl[3].arraySync(), given = idxBl[3].arraySync();
  for (let b = 0; b < 2; b++) for (let j = 0; j < 16; j += 2) assertEquals(last[b][j], given[b][j]);
  assertThrows(
    () => model.generate(quantizer, [0], { teacherForce: { idxBl, keep: all } }),
    Error,
    "teacherForce",
  );
  tf.dispose([...forced.idxBl, forced.fHat, fromTokens, ...partial.idxBl, partial.fHat, ...idxBl]);
  model.dispose();
  quantizer.dispose();
});

Deno.test("in-painting with editKeepFlags: every token outside the mask is the input's, at every scale", () => {
  const { quantizer, model, idxBl } = setup();
  const centre = Array.from(
    { length: 16 },
    (_, y) => Array.from({ length: 16 }, (_, x) => y >= 4 && y < 12 && x >= 4 && x < 12),
  );
  const keep = editKeepFlags(patchNums, centre);
  assert(keep.some((k) => k.some((f) => !f)), "the mask regenerates some tokens");
  const out = model.generate(quantizer, [1, 2], { cfg: 2, seed: 9, teacherForce: { idxBl, keep } });
  out.idxBl.forEach((t, si) => {
    const got = t.arraySync(), given = idxBl[si].arraySync();
    for (let b = 0; b < 2; b++) {
      keep[si].forEach((k, j) =>
        k && assertEquals(got[b][j], given[b][j], `scale ${si}, token ${j}`)
      );
    }
  });
  tf.dispose([...out.idxBl, out.fHat, ...idxBl]);
  model.dispose();
  quantizer.dispose();
});
