/**
 * deno task bench:kernels — single TensorFlow kernels of the tensorflow backend timed against
 * their alternatives, in one process, in turn (A, B, A, B … so the machine's drifts fall on
 * both): what bench/README.md's "What changed" and "Tried and dropped" quote.
 *
 * Each line: the pair's name ("A | B" in the code, printed "A vs B"), the median ms of A and of B over `--rounds` rounds (each round
 * the median of `--reps` runs, results read back), and the median of the per-round ratios B ÷ A.
 *
 * Options: --rounds 9  --reps 5  --only substring
 */
import { parseArgs } from "node:util";
import { backendName, tf } from "../lib/core/backend.ts";
import {
  convAttrs,
  float32Attr,
  fusedBiasReluAttrs,
  type NodeBackend,
  oneDnnLabel,
  type OpAttr,
} from "../lib/core/tfjs_node.ts";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "9" },
    reps: { type: "string", default: "5" },
    only: { type: "string", default: "" },
  },
});
if (backendName !== "tensorflow") throw new Error("bench:kernels needs the tensorflow backend");

const be = tf.backend() as unknown as NodeBackend;
const B = be.binding;
const run = (op: string, attrs: OpAttr[], inputs: tf.Tensor[]) =>
  be.executeSingleOutput(op, attrs, inputs);
const T = float32Attr(B);
const ONEDNN = oneDnnLabel(B);
const conv = (format: "NHWC" | "NCHW" = "NHWC", extra: OpAttr[] = []): OpAttr[] => [
  ...convAttrs(B, 1, "SAME", format),
  ...extra,
];
const nhwc: OpAttr = { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" };

type Make = () => tf.Tensor | tf.Tensor[];
const pairs: [string, Make, Make][] = [];
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

// Convolutions of the notebooks' VQ-VAE (B = 128, 7 × 7, 3 × 3 kernels): Eigen vs oneDNN.
for (const [ci, co] of [[64, 32], [64, 64]]) {
  const x = tf.randomNormal([128, 7, 7, ci]), dy = tf.randomNormal([128, 7, 7, co]);
  const w = tf.randomNormal([3, 3, ci, co]), b = tf.randomNormal([co]);
  const fs = tf.tensor1d([3, 3, ci, co], "int32"), xs = tf.tensor1d([128, 7, 7, ci], "int32");
  const s = `${ci}→${co}`;
  pairs.push(
    [
      `Conv2D ${s}: stock (Eigen) | oneDNN`,
      () => run("Conv2D", conv(), [x, w]),
      () => run("_MklNativeConv2D", conv("NHWC", [ONEDNN]), [x, w]),
    ],
    [
      `Conv2DBackpropFilter ${s}: stock | oneDNN`,
      () => run("Conv2DBackpropFilter", conv(), [x, fs, dy]),
      () => run("_MklNativeConv2DBackpropFilter", conv("NHWC", [ONEDNN]), [x, fs, dy]),
    ],
    [
      `Conv2DBackpropInput ${s}: stock | oneDNN`,
      () => run("Conv2DBackpropInput", conv(), [xs, w, dy]),
      () => run("_MklNativeConv2DBackpropInput", conv("NHWC", [ONEDNN]), [xs, w, dy]),
    ],
    [
      `conv + BiasAdd ${s} | oneDNN conv with bias`,
      () =>
        tf.tidy(() =>
          run("BiasAdd", [T, nhwc], [run("_MklNativeConv2D", conv("NHWC", [ONEDNN]), [x, w]), b])
        ),
      () => run("_MklNativeConv2DWithBias", conv("NHWC", [ONEDNN]), [x, w, b]),
    ],
    [
      `oneDNN conv with bias, then Relu ${s} | oneDNN conv with bias and ReLU fused`,
      () =>
        tf.tidy(() =>
          run("Relu", [T], [run("_MklNativeConv2DWithBias", conv("NHWC", [ONEDNN]), [x, w, b])])
        ),
      () =>
        run("_MklNativeFusedConv2D", conv("NHWC", [ONEDNN, ...fusedBiasReluAttrs(B)]), [x, w, b]),
    ],
    [
      `tried: filter gradient ${s}: oneDNN NHWC | NCHW (+ transposes)`,
      () => run("_MklNativeConv2DBackpropFilter", conv("NHWC", [ONEDNN]), [x, fs, dy]),
      () =>
        tf.tidy(() =>
          run("_MklNativeConv2DBackpropFilter", conv("NCHW", [ONEDNN]), [
            x.transpose([0, 3, 1, 2]),
            fs,
            dy.transpose([0, 3, 1, 2]),
          ])
        ),
    ],
    [
      `tried: filter gradient ${s}: oneDNN | image patches + MatMul`,
      () => run("_MklNativeConv2DBackpropFilter", conv("NHWC", [ONEDNN]), [x, fs, dy]),
      () =>
        tf.tidy(() => {
          const patches = run("ExtractImagePatches", [
            T,
            { name: "ksizes", type: B.TF_ATTR_INT, value: [1, 3, 3, 1] },
            { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
            { name: "rates", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
            { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" },
          ], [x]);
          return tf.matMul(patches.reshape([-1, 9 * ci]), dy.reshape([-1, co]), true, false);
        }),
    ],
    [
      `tried: input gradient ${s}: oneDNN | forward conv of the flipped kernel`,
      () => run("_MklNativeConv2DBackpropInput", conv("NHWC", [ONEDNN]), [xs, w, dy]),
      () =>
        tf.tidy(() =>
          tf.conv2d(
            dy as tf.Tensor4D,
            tf.reverse(w, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D,
            1,
            "same",
          )
        ),
    ],
  );
}

// Elementwise passes of the backward: tfjs's way | one TensorFlow kernel.
{
  const y = tf.relu(tf.randomNormal([128, 7, 7, 64])), dy = tf.randomNormal([128, 7, 7, 64]);
  const b = tf.randomNormal([64]);
  pairs.push(
    [
      "ReLU gradient: dy·sign(y) | ReluGrad",
      () => tf.tidy(() => dy.mul(tf.sign(y))),
      () => run("ReluGrad", [T], [dy, y]),
    ],
    [
      "bias gradient: sum | BiasAddGrad",
      () => dy.sum([0, 1, 2]),
      () => run("BiasAddGrad", [T, nhwc], [dy]),
    ],
    ["bias: broadcasting Add | BiasAdd", () => dy.add(b), () => run("BiasAdd", [T, nhwc], [dy, b])],
    [
      "sigmoid gradient: dy·y·(1−y) | SigmoidGrad",
      () => tf.tidy(() => dy.mul(y.mul(tf.scalar(1).sub(y)))),
      () => run("SigmoidGrad", [T], [y, dy]),
    ],
  );
  const g = tf.randomNormal([6, 128, 7, 7, 32]);
  const tri = tf.linalg.bandPart(tf.ones([6, 6]), 0, -1);
  pairs.push([
    "suffix sums over 6 scales: Cumsum | triangular MatMul",
    () => tf.cumsum(g, 0, false, true),
    () => tf.matMul(tri, g.reshape([6, -1])),
  ]);
}

// Matrix products: Eigen | oneDNN (resampling of VAR's scales, and the nearest-code search).
for (
  const [sa, sb, adj] of [[[1, 256, 169], [16, 169, 32], false], [
    [1, 49, 25],
    [128, 25, 32],
    false,
  ], [
    [1024, 32],
    [4096, 32],
    true,
  ]] as [number[], number[], boolean][]
) {
  const p = tf.randomNormal(sa), q = tf.randomNormal(sb);
  const attrs = [
    T,
    { name: "adj_x", type: B.TF_ATTR_BOOL, value: false },
    { name: "adj_y", type: B.TF_ATTR_BOOL, value: adj },
  ];
  pairs.push([
    `BatchMatMulV2 [${sa}]·[${sb}]${adj ? "ᵀ" : ""}: stock | oneDNN`,
    () => run("BatchMatMulV2", attrs, [p, q]),
    () => run("_MklBatchMatMulV2", [...attrs, ONEDNN], [p, q]),
  ]);
}

// Nearest code, one chunk of VAR's search (1024 × 4096): the full distance | one augmented matMul.
{
  const z = tf.randomNormal([1024, 32]), e = tf.randomNormal([4096, 32]);
  const e2 = e.mul(2), eSq = e.square().sum(1).reshape([1, 4096]);
  const eAug = tf.concat([e.mul(2), e.square().sum(1, true).neg()], 1);
  pairs.push([
    "nearest code: argmin(‖z‖²+‖e‖²−2z·e) | argmax([z,1]·[2e,−‖e‖²])",
    () =>
      tf.tidy(() =>
        tf.argMin(z.square().sum(1, true).add(eSq).sub(tf.matMul(z, e2, false, true)), 1)
      ),
    () =>
      tf.tidy(() =>
        tf.argMax(tf.matMul(tf.concat([z, tf.ones([1024, 1])], 1), eAug, false, true), 1)
      ),
  ]);
}

/** Median ms of `reps` runs of `make`, its results read back and freed. */
function time(make: Make, reps: number): number {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const out = make();
    (Array.isArray(out) ? out : [out]).forEach((t) => t.dataSync());
    ms.push(performance.now() - t0);
    tf.dispose(out);
  }
  return median(ms);
}

const rounds = Number(a.rounds), reps = Number(a.reps);
console.log(`| A vs B | A ms | B ms | B ÷ A (min–max) |\n|---|---:|---:|---:|`);
for (const [name, first, second] of pairs.filter(([n]) => n.includes(a.only!))) {
  time(first, 3), time(second, 3); // warm-up: oneDNN builds its primitives on first use
  const as: number[] = [], bs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    as.push(time(first, reps));
    bs.push(time(second, reps));
  }
  const ratios = as.map((x, i) => bs[i] / x);
  console.log(
    `| ${name.replaceAll(" | ", " vs ")} | ${median(as).toFixed(2)} | ${median(bs).toFixed(2)} | ${
      median(ratios).toFixed(2)
    } (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
  );
}
