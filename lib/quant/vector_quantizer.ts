/**
 * The single-scale vector quantizer of VQ-VAE (the seed's `VectorQuantizer2`), with the tools
 * that keep a codebook healthy.
 *
 * For encoder outputs `z` (`[B, H, W, C]`) and a codebook `e` (`[V, C]`):
 * - `k = argminⱼ ‖z − eⱼ‖²` (or the largest cosine similarity), `q = e_k`;
 * - `loss = mse(q, sg(z)) + β · mse(sg(q), z)`: the codebook term pulls codes to the encoder
 *   outputs, the commitment term keeps the encoder near its codes (`sg` = stop-gradient);
 * - `f̂ = z + sg(q − z)`: the value of `q`, with the decoder's gradient copied to `z`
 *   (the straight-through estimator).
 *
 * Codebook health: EMA updates instead of the codebook loss (VQ-VAE paper, Sonnet's
 * `VectorQuantizerEMA`), dead-code restart from recent encoder outputs, and k-means++ /
 * k-means initialisation from data. Metrics: `lib/quant/codebook_health.ts`.
 */
import { tf } from "../core/backend.ts";
import { codeCounts } from "./codebook_health.ts";
import { DeadCodeTracker, type RestartOptions } from "./dead_codes.ts";
import { gatherCodes, stopGradient, straightThrough, vqLoss } from "./grad.ts";
import { type Distance, nearestCode } from "./nearest.ts";
import { type SeededRandom, seededRandom } from "../core/random.ts";
import { checkFinite, checkPositiveInt, checkTensor } from "../core/validate.ts";
import { assignCodebook } from "./codebook.ts";
import type { Quantizer, QuantizerForward, QuantizerRunState } from "./quantizer.ts";
import { InputError } from "../core/errors.ts";

/** Settings of the EMA codebook (Sonnet's `VectorQuantizerEMA`). */
export interface EmaOptions {
  /** Weight of the past in the moving averages (Sonnet: 0.99). */
  decay: number;
  /** Laplace smoothing of cluster sizes (Sonnet: 1e-5). */
  epsilon?: number;
}

/** Options of a {@link VectorQuantizer}. */
export interface VectorQuantizerOptions {
  /** Number of codes `V`. */
  vocabSize: number;
  /** Channels of a code vector (VAR: `Cvae`; VQ-VAE: `embedding_dim`). */
  cvae: number;
  /** Commitment weight β (the seed uses 1, VQ-VAE 0.25). */
  beta?: number;
  /** Squared L2 (default) or cosine similarity. */
  distance?: Distance;
  /** Update the codebook by exponential moving averages instead of the codebook loss. */
  ema?: EmaOptions;
  /** How many recent encoder outputs to keep for dead-code restarts (default 4096). */
  recentSize?: number;
  /** Seed of the codebook initialisation and of restarts. */
  seed?: number;
  /** Check inputs for NaN/Infinity (one read-back per call; default true). */
  checkInputs?: boolean;
}

/** `forward`'s result: f̂ (the codes, straight-through), the loss, and the chosen codes. */
export interface VectorQuantizerForward extends QuantizerForward {
  /** `int32 [B·H·W]`: the chosen codes in B, H, W order. */
  indices: tf.Tensor1D;
}

export type { RestartOptions };
/** How `initFromData` seeds the codebook. */
export type InitMethod = "kmeans++" | "kmeans";

/**
 * The single-scale vector quantizer (VQ-VAE; the seed project's `VectorQuantizer2`): nearest
 * code, straight-through f̂, codebook + β·commitment loss, EMA codebook, dead-code restart,
 * k-means(++) initialisation.
 *
 * @example
 * ```ts
 * import { tf, VectorQuantizer } from "vqvar";
 * const vq = new VectorQuantizer({ vocabSize: 16, cvae: 2, beta: 0.25 });
 * const f = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D; // [B, H, W, Cvae]
 * const { fHat, loss, indices } = vq.forward(f); // f̂ [1, 4, 4, 2], loss, indices [16]
 * tf.dispose([f, fHat, loss, indices]);
 * vq.dispose();
 * ```
 */
export class VectorQuantizer implements Quantizer {
  readonly vocabSize: number;
  readonly cvae: number;
  readonly beta: number;
  /** How codes are compared: squared L2 distance or cosine similarity. */
  readonly distance: Distance;
  /** The EMA settings, when the codebook is updated by moving averages. */
  readonly ema?: Required<EmaOptions>;
  /** Whether inputs are checked for NaN/Infinity. */
  readonly checkInputs: boolean;
  /** `[V, C]` code vectors. */
  readonly codebook: tf.Variable<tf.Rank.R2>;
  /** Code hits and recent encoder outputs, for dead-code restarts. */
  readonly deadCodes: DeadCodeTracker;
  private emaClusterSize?: tf.Variable<tf.Rank.R1>; // debiased EMA state, `[V]`
  private emaSums?: tf.Variable<tf.Rank.R2>; // `[V, C]`
  private emaSteps = 0;
  private readonly rand: SeededRandom;

  /** A quantizer with a codebook uniform in ±1/V (VQ-VAE's initialisation). */
  constructor(options: VectorQuantizerOptions) {
    const { vocabSize, cvae, beta = 0.25, distance = "l2", ema, seed = 0 } = options;
    checkPositiveInt(vocabSize, "vocabSize");
    checkPositiveInt(cvae, "cvae");
    if (distance !== "l2" && distance !== "cosine") {
      throw new InputError(`distance must be "l2" or "cosine", got ${distance}`);
    }
    if (!(beta >= 0)) throw new InputError(`beta must be >= 0, got ${beta}`);
    if (ema && !(ema.decay > 0 && ema.decay < 1)) {
      throw new InputError(`ema.decay must be in (0, 1), got ${ema.decay}`);
    }
    this.vocabSize = vocabSize;
    this.cvae = cvae;
    this.beta = beta;
    this.distance = distance;
    this.checkInputs = options.checkInputs ?? true;
    this.rand = seededRandom(seed);
    // tf.variable copies its initial value: tidy frees the originals, not the variables.
    // VQ-VAE's initialisation: uniform in ±1/V.
    this.codebook = tf.tidy(() =>
      tf.variable(
        tf.randomUniform([vocabSize, cvae], -1 / vocabSize, 1 / vocabSize, "float32", seed),
        !ema,
      )
    );
    this.deadCodes = new DeadCodeTracker(vocabSize, cvae, options.recentSize ?? 4096, this.rand);
    if (ema) {
      this.ema = { decay: ema.decay, epsilon: ema.epsilon ?? 1e-5 };
      this.emaClusterSize = tf.tidy(() => tf.variable(tf.zeros([vocabSize]), false));
      this.emaSums = tf.tidy(() => tf.variable(tf.zeros([vocabSize, cvae]), false));
    }
  }

  /** Replaces the codebook (`[V, Cvae]`). */
  setCodebook(embedding: tf.Tensor2D): void {
    assignCodebook(this, embedding);
  }

  /** Nearest code of every row of `zNc` (`[N, C]`): `int32 [N]`. */
  nearest(zNc: tf.Tensor2D): tf.Tensor1D {
    return nearestCode(zNc, this.codebook, this.distance);
  }

  /** Code vectors of indices: `[...indices.shape, Cvae]`. */
  lookup(indices: tf.Tensor): tf.Tensor {
    return tf.tidy(() => gatherCodes(this.codebook, indices.toInt()));
  }

  /** Throws unless `zBhwc` is a finite `[B, H, W, Cvae]` float tensor. */
  private checkFeatureMap(zBhwc: tf.Tensor4D): void {
    checkTensor(zBhwc, "z", 4, `[B, H, W, C=${this.cvae}]`);
    if (zBhwc.shape[3] !== this.cvae) {
      throw new InputError(`z must be [B, H, W, C=${this.cvae}], got [${zBhwc.shape}]`);
    }
    if (this.checkInputs) checkFinite(zBhwc, "z");
  }

  /**
   * Quantizes `zBhwc` (`[B, H, W, Cvae]`). With `training`, also records code hits and recent
   * encoder outputs (for restarts) and, in EMA mode, moves the codebook.
   */
  forward(zBhwc: tf.Tensor4D, { training = false } = {}): VectorQuantizerForward {
    this.checkFeatureMap(zBhwc);
    const out = tf.tidy(() => {
      const zNc = zBhwc.reshape([-1, this.cvae]) as tf.Tensor2D;
      const indices = this.nearest(zNc);
      const q = gatherCodes(this.codebook, indices).reshape(zBhwc.shape) as tf.Tensor4D;
      // mse(q, sg(z)) + β·mse(sg(q), z); with EMA the codebook term is left out.
      const loss = this.ema
        ? tf.losses.meanSquaredError(stopGradient(q), zBhwc).mul(this.beta) as tf.Scalar
        : vqLoss(q, zBhwc, this.beta);
      if (training) {
        this.record(zNc, indices);
      }
      return { fHat: straightThrough(zBhwc, q), loss, indices };
    });
    return out;
  }

  /** The token map of `zBhwc` (`[B, H, W, Cvae]`): one `int32 [B, H·W]`. */
  fToIdxBl(zBhwc: tf.Tensor4D): tf.Tensor2D[] {
    this.checkFeatureMap(zBhwc);
    const [b, h, w] = zBhwc.shape;
    return tf.tidy(() => [
      this.nearest(zBhwc.reshape([-1, this.cvae]) as tf.Tensor2D).reshape([b, h * w]),
    ]);
  }

  /** f̂ (`[B, n, n, Cvae]`) of a square token map `[B, n²]` (a one-element list). */
  idxBlToFhat(idxBl: tf.Tensor2D[], _options: { lastOnly?: boolean } = {}): tf.Tensor4D[] {
    if (!Array.isArray(idxBl) || idxBl.length !== 1) {
      throw new InputError(`idxBl must be a list of one token map [B, n²], got ${idxBl?.length}`);
    }
    const idx = idxBl[0];
    checkTensor(idx, "idxBl[0]", 2, "[B, n²]", "int32");
    const n = Math.round(Math.sqrt(idx.shape[1]));
    if (n * n !== idx.shape[1]) {
      throw new InputError(`idxBl[0] must be [B, n²] (a square map), got [${idx.shape}]`);
    }
    return tf.tidy(() => [this.lookup(idx).reshape([idx.shape[0], n, n, this.cvae])]);
  }

  /** A single scale has no later scale to predict: `[B, 0, Cvae]`. */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D {
    return tf.zeros([idxBl[0].shape[0], 0, this.cvae]);
  }

  /** `codebook` (the EMA state is not saved: it restarts from the loaded codebook). */
  variables(): Map<string, tf.Variable> {
    return new Map([["codebook", this.codebook as tf.Variable]]);
  }

  /** Dead-code buffers and, with EMA, its sums and step count. */
  runState(): QuantizerRunState {
    const { variables, numbers } = this.deadCodes.runState();
    if (this.emaClusterSize && this.emaSums) {
      variables.set("emaClusterSize", this.emaClusterSize);
      variables.set("emaSums", this.emaSums);
    }
    return { variables, numbers: { ...numbers, emaSteps: this.emaSteps } };
  }

  /** Restores the numbers of {@link VectorQuantizer.runState} (the generator is shared). */
  restoreRunState(numbers: Record<string, number>): void {
    this.deadCodes.restoreRunState(numbers);
    this.emaSteps = numbers.emaSteps;
  }

  /** Training bookkeeping: hit counts, the recent-outputs buffer, EMA codebook update. */
  private record(zNc: tf.Tensor2D, indices: tf.Tensor1D): void {
    tf.tidy(() => {
      const z = stopGradient(zNc);
      const counts = codeCounts(indices, this.vocabSize);
      this.deadCodes.addHits(counts);
      this.deadCodes.remember(z);
      if (this.ema) this.emaUpdate(z, indices, counts);
    });
  }

  /**
   * Sonnet's `VectorQuantizerEMA`: debiased moving averages of cluster sizes `N` and of the sums
   * `m` of the vectors assigned to each code; `eᵢ = mᵢ / Ñᵢ` with Laplace-smoothed
   * `Ñᵢ = (Nᵢ + ε) / (n + V·ε) · n`.
   */
  private emaUpdate(zNc: tf.Tensor2D, indices: tf.Tensor1D, counts: tf.Tensor1D): void {
    const { decay, epsilon } = this.ema!;
    this.emaSteps++;
    const debias = 1 - Math.pow(decay, this.emaSteps);
    const sums = tf.unsortedSegmentSum(zNc, indices, this.vocabSize);
    this.emaClusterSize!.assign(this.emaClusterSize!.mul(decay).add(counts.mul(1 - decay)));
    this.emaSums!.assign(this.emaSums!.mul(decay).add(sums.mul(1 - decay)));
    const size = this.emaClusterSize!.div(debias);
    const n = size.sum();
    const smoothed = size.add(epsilon).div(n.add(this.vocabSize * epsilon)).mul(n);
    this.codebook.assign(this.emaSums!.div(debias).div(smoothed.expandDims(1)));
  }

  /**
   * Re-initialises codes chosen fewer than `minCount` times since the last restart with
   * recent encoder outputs (chosen at random), then resets the hit counts. Returns how many
   * codes were restarted.
   */
  restartDeadCodes(options: RestartOptions = {}): number {
    return this.deadCodes.restart(this.codebook, options, (deadIdx, fresh) => {
      if (!this.ema) return;
      // Restarted codes start as clusters of one vector at their new place.
      const debias = 1 - Math.pow(this.ema.decay, Math.max(this.emaSteps, 1));
      const ones = tf.fill([fresh.shape[0]], debias);
      this.emaClusterSize!.assign(tf.tensorScatterUpdate(this.emaClusterSize!, deadIdx, ones));
      this.emaSums!.assign(tf.tensorScatterUpdate(this.emaSums!, deadIdx, fresh.mul(debias)));
    });
  }

  /**
   * Initialises the codebook from data `zNc` (`[N, C]`, N ≥ V): k-means++ seeding, followed by
   * `iterations` rounds of Lloyd's k-means for `"kmeans"` (default 10).
   */
  initFromData(zNc: tf.Tensor2D, method: InitMethod = "kmeans++", iterations = 10): void {
    checkTensor(zNc, "data", 2, `[N, C=${this.cvae}]`);
    const [n, c] = zNc.shape;
    if (c !== this.cvae) {
      throw new InputError(`data must be [N, C=${this.cvae}], got [${zNc.shape}]`);
    }
    if (n < this.vocabSize) {
      throw new InputError(`data needs at least vocabSize=${this.vocabSize} rows, got ${n}`);
    }
    if (method !== "kmeans++" && method !== "kmeans") {
      throw new InputError(`method must be "kmeans++" or "kmeans", got ${method}`);
    }
    const centers = kmeansPlusPlus(zNc, this.vocabSize, this.rand);
    this.codebook.assign(centers);
    centers.dispose();
    if (method === "kmeans") {
      for (let it = 0; it < iterations; it++) {
        tf.tidy(() => {
          const idx = nearestCode(zNc, this.codebook, "l2");
          const sums = tf.unsortedSegmentSum(zNc, idx, this.vocabSize);
          const counts = codeCounts(idx, this.vocabSize).expandDims(1);
          // Empty clusters keep their centre.
          const means = sums.div(counts.maximum(1));
          const keep = counts.greater(0).tile([1, c]);
          this.codebook.assign(tf.where(keep, means, this.codebook) as tf.Tensor2D);
        });
      }
    }
  }

  /** Frees the quantizer's variables. */
  dispose(): void {
    this.deadCodes.dispose();
    tf.dispose([
      this.codebook,
      ...(this.emaClusterSize ? [this.emaClusterSize, this.emaSums!] : []),
    ]);
  }
}

/** k-means++ seeding: each next centre drawn with probability ∝ squared distance to the set. */
export function kmeansPlusPlus(zNc: tf.Tensor2D, k: number, rand: () => number): tf.Tensor2D {
  const [n, c] = zNc.shape;
  const chosen = new Int32Array(k);
  chosen[0] = Math.floor(rand() * n);
  let minD = tf.tidy(() =>
    zNc.sub(zNc.slice([chosen[0], 0], [1, c])).square().sum(1) as tf.Tensor1D
  );
  for (let i = 1; i < k; i++) {
    const d = minD.dataSync();
    let total = 0;
    for (let j = 0; j < n; j++) total += d[j];
    let target = rand() * total;
    let pick = n - 1;
    for (let j = 0; j < n; j++) {
      target -= d[j];
      if (target <= 0) {
        pick = j;
        break;
      }
    }
    if (total <= 0) pick = Math.floor(rand() * n); // all points already centres
    chosen[i] = pick;
    const next = tf.tidy(() =>
      tf.minimum(minD, zNc.sub(zNc.slice([pick, 0], [1, c])).square().sum(1)) as tf.Tensor1D
    );
    minD.dispose();
    minD = next;
  }
  minD.dispose();
  return tf.tidy(() => tf.gather(zNc, tf.tensor1d(chosen, "int32")));
}
