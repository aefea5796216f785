/**
 * The error contract: every public constructor and entry point given a bad option throws an
 * `InputError` whose message names the option and the value (the command lines print it as
 * one line and exit 2).
 */
import { assert, assertRejects, assertThrows } from "@std/assert";
import { tf } from "./backend.ts";
import { InputError } from "./errors.ts";
import { DummyDataset } from "../data/datasets.ts";
import { loadImage } from "../data/image.ts";
import { Classifier } from "../models/classifier.ts";
import { VAR } from "../models/var.ts";
import { SimpleVQVAE, VQVAE } from "../models/vqvae.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { resize } from "../quant/resize.ts";
import { VectorQuantizer } from "../quant/vector_quantizer.ts";
import { budgetedLoop } from "../train/loop.ts";
import { FlatAdam } from "../train/optim.ts";
import { loadCheckpoint } from "../train/checkpoint.ts";

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
    () => new MultiScaleQuantizer({ vocabSize: 8, cvae: 2, patchNums: [1, 2], quantResi: 2 }),
    /quantResi .*2/,
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

for (const [name, build, words] of CASES) {
  Deno.test(`InputError: ${name}`, () => {
    const err = assertThrows(build, InputError);
    assert(words.test(err.message), `"${err.message}" should match ${words}`);
    assert(!err.message.includes("\n"), "one line");
  });
}

Deno.test("InputError: the async entry points too", async () => {
  await assertRejects(() => loadImage("data/samples/ankle-boot.png", { size: 0 }), InputError);
  await assertRejects(() => loadCheckpoint("no-such-checkpoint"), InputError, "no-such-checkpoint");
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
