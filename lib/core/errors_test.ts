/**
 * The error contract: every public constructor and entry point given a bad option throws an
 * `InputError` whose message names the option and the value (the command lines print it as
 * one line and exit 2).
 */
import { assert, assertRejects, assertThrows } from "@std/assert";
import { tf } from "./backend.ts";
import { InputError } from "./errors.ts";
import * as validate from "./validate.ts";
import { DummyDataset, loadFashionMnist } from "../data/datasets.ts";
import { loadImage } from "../data/image.ts";
import { Classifier } from "../models/classifier.ts";
import { VAR } from "../models/var.ts";
import { SimpleVQVAE, VQVAE } from "../models/vqvae.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { resize } from "./resize.ts";
import { VectorQuantizer } from "../quant/vector_quantizer.ts";
import { budgetedLoop } from "../train/loop.ts";
import { FlatAdam } from "../train/optim.ts";
import { loadCheckpoint } from "../train/checkpoint.ts";
import { evaluate } from "../train/metrics.ts";
import { readIdx } from "../data/idx.ts";

/** Each case: what is built, and words its message must contain (the option, the value). */
const CASES: [string, () => unknown, RegExp][] = [
  ["VQVAE imageSize", () => new VQVAE({ imageSize: 30 }), /imageSize 30/],
  ["VQVAE patchNums", () => new VQVAE({ patchNums: [1, 2, 5] }), /patchNums \[1,2,5\]/],
  ["VQVAE downsample", () => new VQVAE({ downsample: 0 }), /downsample must be >= 1, got 0/],
  ["SimpleVQVAE vocabSize", () => new SimpleVQVAE({ vocabSize: 0 }), /vocabSize .*0/],
  [
    "VectorQuantizer distance",
    () => new VectorQuantizer({ vocabSize: 8, cvae: 2, distance: "l1" as "l2" }),
    /distance .*l1/,
  ],
  [
    "VectorQuantizer beta",
    () => new VectorQuantizer({ vocabSize: 8, cvae: 2, beta: -1 }),
    /beta .*-1/,
  ],
  [
    "VectorQuantizer ema.decay",
    () => new VectorQuantizer({ vocabSize: 8, cvae: 2, ema: { decay: 1 } }),
    /ema\.decay .*1/,
  ],
  [
    "MultiScaleQuantizer patchNums",
    () => new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [] }),
    /patchNums/,
  ],
  [
    "MultiScaleQuantizer quantResi",
    () => new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [1, 2], quantResi: NaN }),
    /quantResi .*finite number.*NaN/,
  ],
  [
    "MultiScaleQuantizer beta",
    () => new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [1, 2], beta: NaN }),
    /beta .*NaN/,
  ],
  ["VAR heads", () => new VAR({ width: 64, heads: 3 }), /width 64 .*heads 3/],
  ["VAR depth", () => new VAR({ depth: 0 }), /depth .*0/],
  ["VAR condDropRate", () => new VAR({ condDropRate: 1 }), /condDropRate/],
  ["Classifier classes", () => new Classifier({ classes: 0 }), /classes .*0/],
  ["DummyDataset length", () => new DummyDataset({ length: -1 }), /length .*-1/],
  ["DummyDataset channels", () => new DummyDataset({ channels: 2 }), /channels .*2/],
  ["FlatAdam learningRate", () => {
    const v = tf.variable(tf.zeros([1]));
    try {
      return new FlatAdam([v], { learningRate: -1 });
    } finally {
      v.dispose();
    }
  }, /learningRate .*-1/],
  [
    "resize mode",
    () => tf.tidy(() => resize(tf.zeros([1, 4, 4, 1]), [2, 2], "lanczos" as "area")),
    /mode .*lanczos/,
  ],
];

/** A quantizer of `V = 8` codes over scales 1, 2 (f is `[B, 2, 2, 2]`), freed after `use`. */
function withQuantizer(use: (q: MultiScaleQuantizer) => unknown): unknown {
  const q = new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [1, 2] });
  try {
    return tf.tidy(() => use(q) as tf.TensorContainer);
  } finally {
    q.dispose();
  }
}

const data = new DummyDataset({ length: 4, height: 4, width: 4 });

/** validate.ts's checks (directly and through a quantizer) and the datasets' accessors. */
const CHECKS: [string, () => unknown, RegExp][] = [
  [
    "checkTensor: not a tensor",
    () => validate.checkTensor([1, 2], "x", 4, "[B, H, W, C]"),
    /^x must be a tf\.Tensor \[B, H, W, C\], got an array of length 2$/,
  ],
  [
    "checkTensor: rank",
    () => tf.tidy(() => validate.checkTensor(tf.zeros([2, 3]), "x", 4, "[B, H, W, C]")),
    /x must have rank 4 \[B, H, W, C\], got shape \[2,3\]/,
  ],
  [
    "checkTensor: dtype",
    () => tf.tidy(() => validate.checkTensor(tf.zeros([2, 3], "int32"), "z", 2, "[N, C]")),
    /^z must be float32 \[N, C\], got int32$/,
  ],
  ["checkTensor: disposed", () => {
    const x = tf.zeros([2, 3]);
    x.dispose();
    validate.checkTensor(x, "z", 2, "[N, C]");
  }, /z has been disposed/],
  [
    "checkIndexRange",
    () => tf.tidy(() => validate.checkIndexRange(tf.tensor1d([0, 3, 8], "int32"), "idx", 8)),
    /^idx must hold indices in \[0, 7\], got indices from 0 to 8$/,
  ],
  [
    "checkIndexRange: negative",
    () => tf.tidy(() => validate.checkIndexRange(tf.tensor1d([-1, 2], "int32"), "idx", 8)),
    /from -1 to 2/,
  ],
  [
    "checkFinite",
    () => tf.tidy(() => validate.checkFinite(tf.tensor1d([1, NaN]), "f")),
    /f contains NaN or Infinity/,
  ],
  [
    "checkRange",
    () => validate.checkRange(1.5, "share", 0, 1, { maxOpen: true }),
    /share .*\[0, 1\).*1\.5/,
  ],
  [
    "checkPositiveInt",
    () => validate.checkPositiveInt(2.5, "size"),
    /size must be a positive integer.*2\.5/,
  ],
  ["checkPatchNums", () => validate.checkPatchNums([1, 3, 2]), /strictly increasing/],
  [
    "quantizer: f not a tensor",
    () => withQuantizer((q) => q.fToIdxBl("f" as unknown as tf.Tensor4D)),
    /^f must be a tf\.Tensor \[B, H=2, W=2, C=2\], got string f$/,
  ],
  [
    "quantizer: idxBl of floats",
    () =>
      withQuantizer((q) => q.idxBlToFhat([tf.zeros([1, 1]), tf.zeros([1, 4])] as tf.Tensor2D[])),
    /^idxBl\[0\] must be int32 \[B, 1\], got float32$/,
  ],
  [
    "quantizer: idxBl out of range",
    () =>
      withQuantizer((q) =>
        q.idxBlToVarInput([tf.zeros([1, 1], "int32"), tf.fill([1, 4], 8, "int32")] as tf.Tensor2D[])
      ),
    /^idxBl\[1\] must hold indices in \[0, 7\], got indices from 8 to 8$/,
  ],
  [
    "images: index past the end",
    () => data.images([0, 4]),
    /^dummy-0: no image at index 4; indices are integers in \[0, 3\]$/,
  ],
  ["images: negative index", () => data.images([-1]), /no image at index -1/],
  ["images: fractional index", () => data.images([1.5]), /no image at index 1\.5/],
  [
    "images: range",
    () => data.images([0], "0-1" as "01"),
    /range must be "01" or "-11", got "0-1"/,
  ],
  ["batch: index past the end", () => data.batch([7]), /no image at index 7/],
  ["subset: index past the end", () => data.subset([0, 9]), /no image at index 9/],
  ["batchIndices: batchSize", () => data.batchIndices(0).next(), /batchSize .*0/],
  ["batches: batchSize", () => data.batches(-2).next(), /batchSize .*-2/],
  [
    "split: testShare 0",
    () => data.split(0),
    /^split: testShare must be a number in \(0, 1\), got 0$/,
  ],
  ["split: testShare 1", () => data.split(1), /testShare .*got 1$/],
  ["split: testShare NaN", () => data.split(NaN), /testShare .*got NaN$/],
  ["split: one image", () => data.take(1).split(0.5), /split: .*1 image.*at least 2/],
  ["take: n", () => data.take(-1), /take: n must be a positive integer, got number -1/],
  [
    "evaluate: batchSize",
    () => withModel((m) => evaluate(m, data, { batchSize: 0 })),
    /batchSize must be a positive integer, got number 0/,
  ],
];

/** Runs `fn` on a small fresh model, disposed afterwards. */
function withModel(fn: (m: SimpleVQVAE) => unknown) {
  const m = new SimpleVQVAE();
  try {
    return fn(m);
  } finally {
    m.dispose();
  }
}

for (const [name, build, words] of [...CASES, ...CHECKS]) {
  Deno.test(`InputError: ${name}`, () => {
    const err = assertThrows(build, InputError);
    assert(words.test(err.message), `"${err.message}" should match ${words}`);
    assert(!err.message.includes("\n"), "one line");
  });
}

Deno.test("InputError: the async entry points too", async () => {
  await assertRejects(() => loadImage("data/samples/ankle-boot.png", { size: 0 }), InputError);
  await assertRejects(() => loadCheckpoint("no-such-checkpoint"), InputError, "no-such-checkpoint");
  // A file where a folder goes (a path through a file) is a missing file too.
  await assertRejects(() => loadCheckpoint("README.md"), InputError, "no checkpoint.json");
  await assertRejects(() => loadFashionMnist("test", "README.md"), InputError, "file not found");
  await assertRejects(() => readIdx("data"), InputError, "data: a folder, not an IDX file");
  await assertRejects(
    () =>
      budgetedLoop({
        what: "demo",
        length: 4,
        batchSize: 2,
        seed: 0,
        optimizer: { learningRate: 0 },
        step: () => 0,
      }),
    InputError,
    "give steps or minutes",
  );
});
