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

export interface Workload {
  name: string;
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

/** One Adam step of `loss` over `variables` (default: the whole model's) per run. */
function trainStep(
  model: SimpleVQVAE | VQVAE,
  x: tf.Tensor4D,
  loss: () => tf.Scalar = () => model.trainForward(x).loss,
  variables: tf.Variable[] = model.trainableVariables,
) {
  const opt = new FlatAdam(variables, { learningRate: 1e-3 });
  return {
    run() {
      const value = opt.minimize(loss);
      value.dataSync();
      value.dispose();
    },
    dispose() {
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

export const WORKLOADS: Workload[] = [
  {
    name: "train-simple-vqvae",
    about: "seed SimpleVQVAE training step, B=32, 64×64×3",
    train: true,
    setup: () => trainStep(...simple()),
  },
  {
    name: "train-vqvae-multiscale",
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
  ...parts("train-simple-vqvae", simple),
  ...parts("train-vqvae-multiscale", multiscale),
];
