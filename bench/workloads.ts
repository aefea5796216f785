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

function trainStep(model: SimpleVQVAE | VQVAE, x: tf.Tensor4D) {
  const opt = new FlatAdam(model.trainableVariables, { learningRate: 1e-3 });
  return {
    run() {
      const loss = opt.minimize(() => model.trainForward(x).loss);
      loss.dataSync();
      loss.dispose();
    },
    dispose() {
      opt.dispose();
      model.dispose();
      x.dispose();
    },
  };
}

export const WORKLOADS: Workload[] = [
  {
    name: "train-simple-vqvae",
    about: "seed SimpleVQVAE training step, B=32, 64×64×3",
    train: true,
    setup: () =>
      trainStep(
        new SimpleVQVAE({ seed: 0 }),
        tf.randomUniform([32, 64, 64, 3], 0, 1, "float32", 1),
      ),
  },
  {
    name: "train-vqvae-multiscale",
    about: "VQVAE + multi-scale quantizer training step, B=128, 28×28×1",
    train: true,
    setup: () =>
      trainStep(
        new VQVAE({ ...DEFAULT_CONFIG, seed: 0 }),
        tf.randomUniform([128, 28, 28, 1], 0, 1, "float32", 1),
      ),
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
];
