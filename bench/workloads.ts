/**
 * The benchmark workloads, each a `setup()` that builds its inputs and returns `run()` (one
 * timed repetition, results read back so the work is really done) and `dispose()`.
 * The PyTorch reference (bench/reference/torch_worker.py) implements the same names.
 */
import { tf } from "../lib/core/backend.ts";
import { MultiScaleQuantizer } from "../lib/quant/multiscale.ts";
import { nearestCode } from "../lib/quant/nearest.ts";
import { FlatAdam } from "../lib/train/optim.ts";
import { DEFAULT_CONFIG, SimpleVQVAE, VQVAE } from "../lib/models/vqvae.ts";
import { DEFAULT_VAR_CONFIG, VAR, type VARConfig } from "../lib/models/var.ts";
import { RasterOrder } from "../lib/quant/raster_order.ts";
import { VectorQuantizer } from "../lib/quant/vector_quantizer.ts";
import type { TokenOrder } from "../lib/quant/token_order.ts";
import { seededRandom } from "../lib/core/random.ts";
import { DEFAULT_VAR_LR } from "../lib/train/var_train.ts";
import { VARStep } from "../lib/train/var_step.ts";
import { VQStep } from "../lib/train/vq_step.ts";
import { varTrainStepFlops, vqvaeTrainStepFlops } from "./flops.ts";

export interface Workload {
  name: string;
  /** Floating-point operations of one repetition, counted from the shapes (bench/flops.ts). */
  flops?: number;
  /** What it measures, for the table. */
  about: string;
  /** Training workloads cannot run on wasm (no Conv2DBackpropFilter kernel). */
  train: boolean;
  /** A part of a training step, for the breakdown (`--parts`); not run by default. */
  part?: boolean;
  setup(): { run(): void; dispose(): void };
}

/** VAR's own tokenizer configuration: 16×16×32 latents, V = 4096, ten scales. */
const VAR_PATCH_NUMS = [1, 2, 3, 4, 5, 6, 8, 10, 13, 16];

/** A quantizer in VAR's configuration and a random feature map `[16, 16, 16, 32]` for it. */
function varQuantizerAndFeatures() {
  const q = new MultiScaleQuantizer({ vocabSize: 4096, cvae: 32, patchNums: VAR_PATCH_NUMS });
  const f = tf.randomNormal([16, 16, 16, 32], 0, 1, "float32", 3) as tf.Tensor4D;
  return { q, f };
}

/**
 * One Adam step per run: `train`'s own step (VQStep: one graph call per step where the quantizer
 * allows it) of the whole model's loss, or (the breakdown's parts) of `loss` over `variables`.
 */
function trainStep(
  model: SimpleVQVAE | VQVAE,
  x: tf.Tensor4D,
  loss?: () => tf.Scalar,
  variables: tf.Variable[] = model.trainableVariables,
) {
  const opt = new FlatAdam(variables, { learningRate: 1e-3 });
  const step = loss ? undefined : new VQStep(model, opt);
  return {
    run() {
      if (step) return void step.run(x); // the loss and its terms, read back
      const value = opt.minimize(loss!);
      value.dataSync();
      value.dispose();
    },
    dispose() {
      step?.dispose();
      opt.dispose();
      model.dispose();
      x.dispose();
    },
  };
}

type Model = SimpleVQVAE | VQVAE;
/** The model's trainable variables whose names start with one of `prefixes`. */
const variablesOf = (model: Model, ...prefixes: string[]) =>
  [...model.variables()].filter(([k, v]) => v.trainable && prefixes.some((p) => k.startsWith(p)))
    .map(([, v]) => v);

/**
 * The breakdown of a training step (`--parts`): the same Adam step over only some of the
 * model. `no-quantizer` decodes the encoder's output directly (f̂ = f); `encoder` minimises
 * mean(f²); `decoder` decodes a fixed feature map; `quantizer` minimises the VQ loss of a fixed
 * feature map (with training statistics). bench/reference/torch_worker.py has the same parts.
 */
function parts(name: string, make: () => [Model, tf.Tensor4D]): Workload[] {
  const latent = (m: Model, b: number) =>
    tf.randomNormal([b, m.latentSize, m.latentSize, m.config.latentChannels], 0, 1, "float32", 2)
      .mul(0.5) as tf.Tensor4D;
  const mse = (a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b) as tf.Scalar;
  const part = (p: string, setup: () => { run(): void; dispose(): void }): Workload => ({
    name: `${name}/${p}`,
    about: `${name}: ${p} only`,
    train: true,
    part: true,
    setup,
  });
  return [
    part("no-quantizer", () => {
      const [m, x] = make();
      return trainStep(
        m,
        x,
        () => mse(x, m.decode(m.encode(x))),
        variablesOf(m, "encoder", "decoder"),
      );
    }),
    part("encoder", () => {
      const [m, x] = make();
      return trainStep(
        m,
        x,
        () => m.encode(x).square().mean() as tf.Scalar,
        variablesOf(m, "encoder"),
      );
    }),
    part("decoder", () => {
      const [m, x] = make();
      const f = tf.keep(latent(m, x.shape[0]));
      const s = trainStep(m, x, () => mse(x, m.decode(f)), variablesOf(m, "decoder"));
      return { run: s.run, dispose: () => (s.dispose(), f.dispose()) };
    }),
    part("quantizer", () => {
      const [m, x] = make();
      const f = tf.keep(latent(m, x.shape[0]));
      const vars = variablesOf(m, "quantizer.");
      const s = trainStep(m, x, () => m.quantizer.forward(f, { training: true }).loss, vars);
      return { run: s.run, dispose: () => (s.dispose(), f.dispose()) };
    }),
  ];
}

const simple = (): [Model, tf.Tensor4D] => [
  new SimpleVQVAE({ seed: 0 }),
  tf.randomUniform([32, 64, 64, 3], 0, 1, "float32", 1),
];
const multiscale = (): [Model, tf.Tensor4D] => [
  new VQVAE({ ...DEFAULT_CONFIG, seed: 0 }),
  tf.randomUniform([128, 28, 28, 1], 0, 1, "float32", 1),
];

/**
 * The generator as `deno task var` ships it (lib's defaults with its depth 3: width 128, 4 heads,
 * adaLN "plain", no attention normalisation), on the next-scale order of 1…7.
 */
export const VAR_SHIPPED: VARConfig = { ...DEFAULT_VAR_CONFIG, depth: 3 };

/** The generator workloads' configurations (the raster one: 7×7 = 49 one-token steps). */
export const VAR_WORKLOAD_CONFIGS: Record<string, VARConfig> = {
  "train-var-next-scale": VAR_SHIPPED,
  "train-var-raster": { ...VAR_SHIPPED, patchNums: new Array(49).fill(1) },
  "train-var-wide": { ...VAR_SHIPPED, width: 256, heads: 8 },
};

/** Sequences per generator training step (`deno task var`'s `--batch` default). */
export const VAR_BATCH = 64;

/**
 * The token order of a generator workload, and how to free its quantizer: the multi-scale
 * quantizer (next-scale, V = 512, Cvae = 32, 1…7), or the raster order of a single-scale
 * quantizer's 7×7 map (as `--order raster` on a single-scale tokenizer builds it).
 */
function tokenOrder(raster: boolean): { order: TokenOrder; dispose(): void } {
  if (raster) {
    const q = new VectorQuantizer({ vocabSize: 512, cvae: 32 });
    return { order: new RasterOrder(q, 7), dispose: () => q.dispose() };
  }
  const q = new MultiScaleQuantizer({ vocabSize: 512, cvae: 32, patchNums: VAR_SHIPPED.patchNums });
  return { order: q, dispose: () => q.dispose() };
}

/**
 * One step of `trainVAR` (`VARTrainingRun.step`): the token order's teacher-forcing input,
 * `VAR.loss` with class dropout, inside `FlatAdam.minimize` (built as the run builds it: lr 2e-3,
 * β₂ 0.95, no weight decay, no clipping), the loss and the per-scale losses read back. Fixed
 * random tokens and labels, made once.
 */
function varTrainStep(config: VARConfig, raster: boolean, B = VAR_BATCH) {
  const { order, dispose: disposeOrder } = tokenOrder(raster);
  const model = new VAR(config);
  const names = [...model.variables().keys()];
  const opt = new FlatAdam(model.trainableVariables, {
    learningRate: DEFAULT_VAR_LR,
    beta2: 0.95,
    weightDecay: 0,
    clipNorm: 0,
    decays: (_, i) => VAR.decays(names[i]),
  });
  const r = seededRandom(1);
  const tokBL = tf.tensor2d(
    Int32Array.from({ length: B * model.L }, () => Math.floor(r() * config.vocabSize)),
    [B, model.L],
    "int32",
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: B }, () => Math.floor(r() * config.numClasses)),
    "int32",
  );
  const rand = seededRandom(0); // class dropout
  const step = new VARStep(model, order, opt); // trainVAR's step: one graph call where it can
  return {
    run() {
      step.run(tokBL, labels, rand); // the loss and per-scale losses, read back
    },
    dispose() {
      step.dispose();
      opt.dispose();
      model.dispose();
      disposeOrder();
      tf.dispose([tokBL, labels]);
    },
  };
}

/**
 * `VAR.generate` of the shipped next-scale model (untrained weights) for `B` labels `i % 10`:
 * guidance 1.5, KV cache, no top-k / top-p, seed 0; f̂ read back, everything freed.
 */
function varSample(B: number) {
  const { order, dispose: disposeOrder } = tokenOrder(false);
  const model = new VAR(VAR_SHIPPED);
  const labels = Array.from({ length: B }, (_, i) => i % 10);
  return {
    run() {
      const { idxBl, fHat } = model.generate(order, labels, { cfg: 1.5, seed: 0 });
      fHat.dataSync();
      tf.dispose([fHat, ...idxBl]);
    },
    dispose() {
      model.dispose();
      disposeOrder();
    },
  };
}

/** The generator's workloads: three training steps, sampling at batch 1 and 250. */
const VAR_WORKLOADS: Workload[] = [
  {
    name: "train-var-next-scale",
    flops: varTrainStepFlops(VAR_WORKLOAD_CONFIGS["train-var-next-scale"], VAR_BATCH).total,
    about: "VAR training step, next-scale (1…7, L=104), depth 3, D=128, 4 heads, B=64",
    train: true,
    setup: () => varTrainStep(VAR_WORKLOAD_CONFIGS["train-var-next-scale"], false),
  },
  {
    name: "train-var-raster",
    flops: varTrainStepFlops(VAR_WORKLOAD_CONFIGS["train-var-raster"], VAR_BATCH).total,
    about: "VAR training step, raster order of a 7×7 map (L=49), depth 3, D=128, B=64",
    train: true,
    setup: () => varTrainStep(VAR_WORKLOAD_CONFIGS["train-var-raster"], true),
  },
  {
    name: "train-var-wide",
    flops: varTrainStepFlops(VAR_WORKLOAD_CONFIGS["train-var-wide"], VAR_BATCH).total,
    about: "train-var-next-scale with D=256 and 8 heads (head dim stays 32), ~4× the parameters",
    train: true,
    setup: () => varTrainStep(VAR_WORKLOAD_CONFIGS["train-var-wide"], false),
  },
  {
    name: "sample-var-b1",
    about: "VAR.generate, next-scale model, cfg 1.5, KV cache, B=1",
    train: false,
    setup: () => varSample(1),
  },
  {
    name: "sample-var-b250",
    about: "VAR.generate, next-scale model, cfg 1.5, KV cache, B=250",
    train: false,
    setup: () => varSample(250),
  },
];

/** Side of the matrices of `sgemm-peak`. */
const PEAK_N = 4096;

export const WORKLOADS: Workload[] = [
  {
    name: "sgemm-peak",
    about: `float32 matrix product ${PEAK_N}×${PEAK_N} by ${PEAK_N}×${PEAK_N}: the machine's peak`,
    train: false,
    flops: 2 * PEAK_N ** 3,
    setup() {
      const a = tf.randomNormal([PEAK_N, PEAK_N], 0, 1, "float32", 1) as tf.Tensor2D;
      const b = tf.randomNormal([PEAK_N, PEAK_N], 0, 1, "float32", 2) as tf.Tensor2D;
      return {
        run() {
          const c = tf.tidy(() => tf.matMul(a, b).slice([0, 0], [1, 1]));
          c.dataSync();
          c.dispose();
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
  },
  {
    name: "train-simple-vqvae",
    about: "seed SimpleVQVAE training step, B=32, 64×64×3",
    train: true,
    setup: () => trainStep(...simple()),
  },
  {
    name: "train-vqvae-multiscale",
    flops: vqvaeTrainStepFlops({ ...DEFAULT_CONFIG, patchNums: DEFAULT_CONFIG.patchNums! }, 128)
      .total,
    about: "VQVAE + multi-scale quantizer training step, B=128, 28×28×1",
    train: true,
    setup: () => trainStep(...multiscale()),
  },
  {
    name: "nearest-code",
    about: "nearest-code search, N=16384, C=32, V=4096",
    train: false,
    setup() {
      const z = tf.randomNormal([16384, 32], 0, 1, "float32", 1) as tf.Tensor2D;
      const e = tf.randomNormal([4096, 32], 0, 1, "float32", 2) as tf.Tensor2D;
      return {
        run() {
          const idx = nearestCode(z, e, "l2");
          idx.dataSync();
          idx.dispose();
        },
        dispose: () => tf.dispose([z, e]),
      };
    },
  },
  {
    name: "fToIdxBl-var",
    about: "fToIdxBl, VAR config (pn 1…16, C=32, V=4096), B=16",
    train: false,
    setup() {
      const { q, f } = varQuantizerAndFeatures();
      return {
        run() {
          const idxBl = q.fToIdxBl(f);
          idxBl.forEach((t) => t.dataSync());
          tf.dispose(idxBl);
        },
        dispose() {
          f.dispose();
          q.dispose();
        },
      };
    },
  },
  {
    name: "idxBlToVarInput-var",
    about: "idxBlToVarInput, VAR config, B=16",
    train: false,
    setup() {
      const { q, f } = varQuantizerAndFeatures();
      const idxBl = q.fToIdxBl(f);
      return {
        run() {
          const x = q.idxBlToVarInput(idxBl);
          x.dataSync();
          x.dispose();
        },
        dispose() {
          tf.dispose([f, ...idxBl]);
          q.dispose();
        },
      };
    },
  },
  {
    name: "op-overhead",
    about: "1,000 tiny ops (add of two [8] tensors, result freed): per-op cost of the runtime",
    train: false,
    setup() {
      const x = tf.ones([8]), y = tf.ones([8]);
      return {
        run() {
          for (let i = 0; i < 1000; i++) x.add(y).dispose();
        },
        dispose: () => tf.dispose([x, y]),
      };
    },
  },
  ...VAR_WORKLOADS,
  ...parts("train-simple-vqvae", simple),
  ...parts("train-vqvae-multiscale", multiscale),
];
