/**
 * The one interface of a vector quantizer, which both quantizers implement: the single-scale
 * `VectorQuantizer` of VQ-VAE and VAR's multi-scale residual `MultiScaleQuantizer`. Models
 * (`VQModel`), trainers and metrics speak only to it.
 *
 * Vocabulary (VAR's `models/quant.py` where it has a name): `vocabSize` (`vocab_size`), `cvae`
 * (`Cvae`, a code's channels), `beta`, `codebook` (`embedding.weight`, `[V, Cvae]`), token maps
 * `idxBl` (`idx_Bl`: one `int32 [B, pn²]` per scale; a single-scale quantizer has one),
 * `fHat` (`f_hat`, the quantized feature map `[B, H, W, Cvae]`).
 */
import type { tf } from "../core/backend.ts";
import type { RestartOptions } from "./dead_codes.ts";

/** What `forward` returns: the quantized features and the quantizer's loss. */
export interface QuantizerForward {
  /** `[B, H, W, Cvae]`: f̂, with the straight-through gradient to the input. */
  fHat: tf.Tensor4D;
  /** The VQ loss: codebook term + β · commitment term (VAR: `mean_vq_loss`). */
  loss: tf.Scalar;
}

/** A quantizer's training bookkeeping: tensors by name, and plain numbers by name. */
export interface QuantizerRunState {
  /** Tensors updated during training that are not parameters (hit counts, EMA sums, …). */
  variables: Map<string, tf.Variable>;
  /** Counters and generator states. */
  numbers: Record<string, number>;
}

/**
 * What one training step of a quantizer takes from JavaScript (its counters and random draws),
 * drawn before the step: so that a step run as a TensorFlow graph (lib/train/vq_step.ts) takes
 * them as inputs instead of baking one step's values in.
 */
export interface QuantizerStepInputs {
  /** What the step's ops depend on besides these tensors (one graph per key). */
  key: string;
  /** The step's numbers as tensors, in the quantizer's order. */
  tensors: tf.Tensor[];
}

/** A vector quantizer: nearest codes, losses, token maps, and its codebook's upkeep. */
export interface Quantizer {
  /** Number of codes `V` (VAR: `vocab_size`). */
  readonly vocabSize: number;
  /** Channels of a code vector (VAR: `Cvae`; VQ-VAE's `embedding_dim`). */
  readonly cvae: number;
  /** Commitment weight β. */
  readonly beta: number;
  /** `[V, Cvae]` code vectors (VAR: `embedding.weight`). */
  readonly codebook: tf.Variable<tf.Rank.R2>;

  /** Replaces the codebook (`[V, Cvae]`). */
  setCodebook(embedding: tf.Tensor2D): void;
  /** Nearest code of every row of `zNc` (`[N, Cvae]`): `int32 [N]`. */
  nearest(zNc: tf.Tensor2D): tf.Tensor1D;
  /** Code vectors of indices: `[...indices.shape, Cvae]`, with a gradient to the codebook. */
  lookup(indices: tf.Tensor): tf.Tensor;
  /**
   * Quantizes a feature map `fBhwc` (`[B, H, W, Cvae]`). With `training` (default false) the
   * quantizer also updates its statistics: code hits, recent inputs for dead-code restarts,
   * and, where it has them, EMA state. `step`: this step's numbers, from
   * {@link Quantizer.beginTrainingStep} (drawn by `forward` itself when absent).
   */
  forward(
    fBhwc: tf.Tensor4D,
    options?: { training?: boolean; step?: QuantizerStepInputs },
  ): QuantizerForward;
  /**
   * Advances the quantizer's training counters and draws what one training step on a batch of
   * `batch` feature maps takes from JavaScript (the caller disposes the tensors). Quantizers
   * whose training forward takes nothing from JavaScript, or that cannot say it, lack it (their
   * steps run eagerly).
   */
  beginTrainingStep?(batch: number): QuantizerStepInputs;
  /** Token maps of a feature map: `int32 [B, pn²]` per scale (VAR: `f_to_idxBl_or_fhat`). */
  fToIdxBl(fBhwc: tf.Tensor4D): tf.Tensor2D[];
  /** f̂ after each scale (or the last only) from token maps (VAR: `embed_to_fhat`). */
  idxBlToFhat(idxBl: tf.Tensor2D[], options?: { lastOnly?: boolean }): tf.Tensor4D[];
  /**
   * VAR's teacher-forcing input from token maps (`idx_Bl_to_var_input`): `[B, L − pn₁², Cvae]`.
   * A single-scale quantizer has no later scale: `[B, 0, Cvae]`.
   */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D;
  /** Every variable by a stable name (`codebook`, `phi.0.kernel`, …), for checkpoints. */
  variables(): Map<string, tf.Variable>;
  /**
   * The training bookkeeping beyond `variables()` (code hits, recent inputs, EMA state,
   * generator states and counters), for a training checkpoint to save and restore.
   */
  runState(): QuantizerRunState;
  /** Restores the `numbers` of a saved {@link QuantizerRunState} (its variables are loaded in place). */
  restoreRunState(numbers: Record<string, number>): void;
  /** Moves codes unused since the last restart onto recent inputs; returns how many moved. */
  restartDeadCodes(options?: RestartOptions): number;
  /** Frees the quantizer's tensors. */
  dispose(): void;
}
