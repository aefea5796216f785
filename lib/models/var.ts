/**
 * A small class-conditional VAR (next-scale prediction, FoundationVision/VAR `models/var.py`):
 *
 * - the sequence is every scale's token map flattened and concatenated (`L = Σ pn²`);
 * - position 0.. of scale 1 hold the class embedding (the start token), the other positions the
 *   teacher-forcing input `idxBlToVarInput` through `wordEmbed` (Linear Cvae → D);
 * - level and position embeddings are added; blocks attend block-causally (a position sees its
 *   own and coarser scales) and are modulated by the class through adaptive layer norm
 *   (`adaLN: false` gives plain pre-LN blocks);
 * - the head predicts every position's code: cross-entropy over all scales at once;
 * - class dropout (label → the "null" class) trains the unconditional model that
 *   classifier-free guidance needs.
 *
 * Generation runs one forward per scale with a KV cache, guidance weight ramped over scales as
 * VAR does, seeded top-k / top-p sampling, and the quantizer's `nextAutoregressiveInput` between
 * scales. Tensors: `xBLD` is `[batch, positions, width]`, `idxBl[si]` is `int32 [B, pn²]`.
 */
import { tf } from "../core/backend.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import { InputError } from "../core/errors.ts";
import { seededRandom } from "../core/random.ts";
import { stopGradient } from "../quant/grad.ts";
import { blockCausalMask, levelIndices } from "./var_mask.ts";
import { checkPatchNums } from "../core/validate.ts";
import { type GraphCalls, GraphFunction } from "../core/graph/graph_function.ts";

/** Configuration of a {@link VAR} (VAR's `VAR.__init__` arguments, scaled down). */
export interface VARConfig {
  /** Codes of the tokenizer's codebook `V`. */
  vocabSize: number;
  /** Channels of a code vector (VAR: `Cvae`). */
  cvae: number;
  /** The tokenizer's token-map sizes (VAR: `patch_nums`). */
  patchNums: number[];
  /** Classes; label `numClasses` is the null class (VAR: `num_classes`). */
  numClasses: number;
  /** Transformer blocks. */
  depth: number;
  /** Model width D. */
  width: number;
  /** Attention heads (VAR: `num_heads`). */
  heads: number;
  /** Width of the MLP over the model width (VAR: `mlp_ratio`). */
  mlpRatio: number;
  /** Share of labels replaced by the null class in training (for guidance). */
  condDropRate: number;
  /** Adaptive layer norm conditioned on the class (VAR), or plain layer norm. */
  adaLN: boolean;
  /**
   * How the adaLN linears start (with `adaLN`). `"plain"`: zero weights and gates of 1, so
   * every block starts as a plain pre-LN block and the class modulation is learned. `"var"`:
   * VAR's `init_weights` (`init_adaln = 0.5`, `init_adaln_gamma = 1e-5`): truncated-normal
   * weights, ×0.5 for scales and shifts, ×1e-5 for the gates, zero biases, so every block
   * starts near the identity (gates near zero) and the head's modulation at half scale.
   */
  adaLNInit: "plain" | "var";
  /**
   * Attention normalisation (VAR's `attn_l2_norm`, on in VAR's default recipe): queries and keys
   * are unit vectors per head and the scores are scaled by a learned `exp(s)` per head
   * (`s` starts at ln 4, clamped at ln 100) instead of `1/√dh`.
   */
  attnNorm: boolean;
  /** Seed of the initial weights. */
  seed: number;
}

/** The defaults of {@link VARConfig}. */
export const DEFAULT_VAR_CONFIG: VARConfig = {
  vocabSize: 512,
  cvae: 32,
  patchNums: [1, 2, 3, 4, 5, 7],
  numClasses: 10,
  depth: 4,
  width: 128,
  heads: 4,
  mlpRatio: 4,
  condDropRate: 0.1,
  adaLN: true,
  adaLNInit: "plain",
  attnNorm: false,
  seed: 0,
};

/**
 * `config` over {@link DEFAULT_VAR_CONFIG}, checked: an `InputError` naming the field and its
 * value for a bad one. `VAR`'s constructor runs it; a command line can run it before any work.
 */
export function checkVARConfig(config: Partial<VARConfig>): VARConfig {
  const c = { ...DEFAULT_VAR_CONFIG, ...config };
  checkPatchNums(c.patchNums, { increasing: false });
  for (
    const k of ["vocabSize", "cvae", "numClasses", "depth", "width", "heads", "mlpRatio"] as const
  ) {
    if (!Number.isInteger(c[k]) || c[k] < 1) {
      throw new InputError(`VAR: ${k} must be a positive integer, got ${c[k]}`);
    }
  }
  if (c.width % c.heads !== 0) {
    throw new InputError(`VAR: width ${c.width} must be divisible by heads ${c.heads}`);
  }
  if (c.adaLNInit !== "plain" && c.adaLNInit !== "var") {
    throw new InputError(`VAR: adaLNInit must be "plain" or "var", got ${c.adaLNInit}`);
  }
  if (!(c.condDropRate >= 0 && c.condDropRate < 1)) {
    throw new InputError(`VAR: condDropRate must be in [0, 1), got ${c.condDropRate}`);
  }
  return c;
}

/** Sampling options of {@link VAR.generate}. */
export interface GenerateOptions {
  /** Guidance weight at the last scale (VAR ramps it linearly from 0 at the first). 0: off. */
  cfg?: number;
  /**
   * Keep the k most likely codes (0: all). With neither top-k nor top-p (the default), each
   * token is drawn from the whole softmax in code order (inverse transform, as
   * `torch.multinomial`); with either, from the sorted survivors.
   */
  topK?: number;
  /** Keep the smallest set of codes with this much probability (1: all). */
  topP?: number;
  /** Seed of the sampling. */
  seed?: number;
  /** Use the KV cache (default); `false` recomputes the whole prefix each scale. */
  useCache?: boolean;
  /**
   * Zero-shot editing, as VAR in-paints and out-paints: at every step the tokens flagged in
   * `keep[si]` (`pn²` flags, the same for every image) are replaced by the given ones,
   * `idxBl[si]` (`int32 [B, pn²]`), before they are fed on; the others are sampled.
   * {@link editKeepFlags} makes `keep` from a mask on the image.
   */
  teacherForce?: { idxBl: tf.Tensor2D[]; keep: boolean[][] };
}

interface Block {
  ada?: { w: tf.Variable; b: tf.Variable }; // D -> 6D: gamma1, gamma2, scale1, scale2, shift1, shift2
  ln1?: { g: tf.Variable; b: tf.Variable };
  ln2?: { g: tf.Variable; b: tf.Variable };
  qkv: { w: tf.Variable; b: tf.Variable };
  proj: { w: tf.Variable; b: tf.Variable };
  fc1: { w: tf.Variable; b: tf.Variable };
  fc2: { w: tf.Variable; b: tf.Variable };
  /** Log of the attention scale per head `[1, H, 1, 1]` (with `attnNorm`). */
  scaleMul?: tf.Variable;
}

/** One block's cached keys and values `[B, H, positions, dh]` during generation. */
interface KVCache {
  k?: tf.Tensor4D;
  v?: tf.Tensor4D;
}

/** Layer norm over the last axis, no affine. */
function norm(x: tf.Tensor): tf.Tensor {
  const mean = x.mean(-1, true);
  const xc = x.sub(mean);
  return xc.mul(xc.square().mean(-1, true).add(1e-6).rsqrt());
}

/** `x` over its L2 norm along the last axis (PyTorch's `F.normalize`, ε = 1e-12). */
function unit(x: tf.Tensor): tf.Tensor {
  return x.div(x.square().sum(-1, true).sqrt().maximum(1e-12));
}

/** `x · w + b` for `x` of any rank ≥ 2 (last axis is the input). */
function linear(x: tf.Tensor, p: { w: tf.Tensor; b: tf.Tensor }): tf.Tensor {
  const shape = x.shape;
  const out = tf.matMul(x.reshape([-1, shape[shape.length - 1]]), p.w as tf.Tensor2D).add(p.b);
  return out.reshape([...shape.slice(0, -1), p.w.shape[1]!]);
}

/** The weights outside the blocks, by role (each also in `variables()` under its name). */
interface VARWeights {
  classEmb: tf.Variable;
  posStart: tf.Variable;
  posEmbed: tf.Variable;
  lvlEmbed: tf.Variable;
  wordEmbed: { w: tf.Variable; b: tf.Variable };
  head: {
    ada?: { w: tf.Variable; b: tf.Variable };
    ln?: { g: tf.Variable; b: tf.Variable };
    w?: tf.Variable;
    b?: tf.Variable;
  };
}

/**
 * A generation step whose first input (word tokens, or f̂) has at most this many numbers runs
 * its graph on one thread (faster for a few images at our size: see GraphOptions.threads).
 */
const SMALL_STEP = 65536;

/** tf.Variable names must be unique in the process. */
let variableCounter = 0;

/**
 * The class-conditional next-scale transformer (VAR's `models/var.py`, small): class start
 * token, `wordEmbed` of `idxBlToVarInput`, level and position embeddings, block-causal
 * attention, adaptive layer norm, class dropout; KV-cached generation with guidance.
 *
 * @example
 * ```ts
 * import { MultiScaleQuantizer, VAR } from "vqvar";
 * const q = new MultiScaleQuantizer({ vocabSize: 64, cvae: 8, patchNums: [1, 2, 4] });
 * const model = new VAR({ vocabSize: 64, cvae: 8, patchNums: [1, 2, 4], numClasses: 10, width: 32, depth: 1, heads: 2 });
 * const { idxBl, fHat } = model.generate(q, [3, 7], { cfg: 2, topP: 0.9, seed: 1 });
 * ```
 */
export class VAR {
  /** The configuration it was built with (saved in checkpoints). */
  readonly config: VARConfig;
  /** Tokens per image over all scales, `L = Σ pn²`. */
  readonly L: number;
  private readonly vars = new Map<string, tf.Variable>();
  private readonly w: VARWeights;
  private readonly blocks: Block[] = [];
  private readonly lvl: Int32Array;
  /** Additive block-causal attention bias `[L, L]` (0 or −∞). */
  private readonly maskBias: tf.Tensor2D;
  private seedCounter: number;
  /** Generation's graph functions ({@link VAR.decoding}), made on first use. */
  private decodeGraphs?: { step: GraphFunction; advance: GraphFunction };
  /** What the graph function being called reads besides its inputs (named in its key). */
  private decodeContext?: Record<string, unknown>;

  /** A VAR with fresh weights; unset fields take {@link DEFAULT_VAR_CONFIG}. */
  constructor(config: Partial<VARConfig> = {}) {
    const c = checkVARConfig(config);
    this.config = c;
    this.lvl = levelIndices(c.patchNums);
    this.L = this.lvl.length;
    this.seedCounter = c.seed * 1000 + 1;
    const D = c.width, H = D * c.mlpRatio;
    const std = 0.02, outStd = 0.02 / Math.sqrt(2 * c.depth);
    // Created in this order (the seeds follow it); the names are the checkpoints' keys.
    const classEmb = this.param("classEmb", [c.numClasses + 1, D], std);
    const posStart = this.param("posStart", [c.patchNums[0] ** 2, D], std);
    const posEmbed = this.param("posEmbed", [this.L, D], std);
    const lvlEmbed = this.param("lvlEmbed", [c.patchNums.length, D], std);
    const wordEmbed = {
      w: this.param("wordEmbed.w", [c.cvae, D], std),
      b: this.param("wordEmbed.b", [D], 0),
    };
    for (let i = 0; i < c.depth; i++) {
      const p = (name: string, shape: number[], s: number, fill = 0) =>
        this.param(`blocks.${i}.${name}`, shape, s, fill);
      const block: Block = {
        qkv: { w: p("qkv.w", [D, 3 * D], std), b: p("qkv.b", [3 * D], 0) },
        proj: { w: p("proj.w", [D, D], outStd), b: p("proj.b", [D], 0) },
        fc1: { w: p("fc1.w", [D, H], std), b: p("fc1.b", [H], 0) },
        fc2: { w: p("fc2.w", [H, D], outStd), b: p("fc2.b", [D], 0) },
      };
      if (c.adaLN && c.adaLNInit === "var") {
        // VAR: gates ×1e-5 (blocks start near the identity), scales and shifts ×0.5.
        block.ada = {
          w: this.scaledParam(`blocks.${i}.ada.w`, [D, 6 * D], std, [1e-5, 1e-5, .5, .5, .5, .5]),
          b: p("ada.b", [6 * D], 0),
        };
      } else if (c.adaLN) {
        // Zero weights and gammas of 1: the blocks start as plain pre-LN blocks; the class
        // modulation is learned.
        block.ada = { w: p("ada.w", [D, 6 * D], 0), b: this.adaBias(`blocks.${i}.ada.b`, D, 2) };
      } else {
        block.ln1 = { g: p("ln1.g", [D], 0, 1), b: p("ln1.b", [D], 0) };
        block.ln2 = { g: p("ln2.g", [D], 0, 1), b: p("ln2.b", [D], 0) };
      }
      if (c.attnNorm) {
        block.scaleMul = p("attn.scaleMul", [1, c.heads, 1, 1], 0, Math.log(4));
      }
      this.blocks.push(block);
    }
    const head: VARWeights["head"] = c.adaLN
      ? {
        ada: {
          w: c.adaLNInit === "var"
            ? this.scaledParam("head.ada.w", [D, 2 * D], std, [0.5, 0.5])
            : this.param("head.ada.w", [D, 2 * D], 0),
          b: this.param("head.ada.b", [2 * D], 0),
        },
      }
      : { ln: { g: this.param("head.ln.g", [D], 0, 1), b: this.param("head.ln.b", [D], 0) } };
    head.w = this.param("head.w", [D, c.vocabSize], std);
    head.b = this.param("head.b", [c.vocabSize], 0);
    this.w = { classEmb, posStart, posEmbed, lvlEmbed, wordEmbed, head };
    this.maskBias = blockCausalMask(c.patchNums, { additive: true });
  }

  /** A named, truncated-normal (or constant) variable, registered for `variables()`. */
  private param(name: string, shape: number[], std: number, fill = 0): tf.Variable {
    const v = tf.tidy(() =>
      tf.variable(
        std > 0
          ? tf.truncatedNormal(shape, 0, std, "float32", this.seedCounter++)
          : tf.fill(shape, fill),
        true,
        `var${++variableCounter}.${name}`,
      )
    );
    this.vars.set(name, v);
    return v;
  }

  /**
   * A truncated-normal `[D, k·D]` weight whose k column chunks are multiplied by `chunkScales`
   * (VAR's adaLN initialisation).
   */
  private scaledParam(
    name: string,
    shape: number[],
    std: number,
    chunkScales: number[],
  ): tf.Variable {
    const v = this.param(name, shape, std);
    const D = shape[1] / chunkScales.length;
    tf.tidy(() => v.assign(v.mul(tf.concat(chunkScales.map((k) => tf.fill([D], k)))) as tf.Tensor));
    return v;
  }

  /**
   * Whether AdamW decays a variable (VAR's `filter_params`): the matrices of the linears and
   * the class embedding, not biases, gains, attention scales, or the position, start and level
   * embeddings (VAR's `nowd_keys`).
   */
  static decays(name: string): boolean {
    return /\.w$/.test(name) || name === "classEmb";
  }

  /** Bias of an adaLN linear: `gammas` chunks of ones (gates), the rest zeros. */
  private adaBias(name: string, D: number, gammas: number): tf.Variable {
    const v = tf.tidy(() =>
      tf.variable(
        tf.concat([tf.ones([gammas * D]), tf.zeros([(6 - gammas) * D])]),
        true,
        `var${++variableCounter}.${name}`,
      )
    );
    this.vars.set(name, v);
    return v;
  }

  /** Every variable by a stable name. */
  variables(): Map<string, tf.Variable> {
    return this.vars;
  }

  /** The variables an optimizer trains (all of them). */
  get trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Number of trainable numbers. */
  get parameterCount(): number {
    return this.trainableVariables.reduce((a, v) => a + v.size, 0);
  }

  /** Level + position embedding of positions `[start, start + n)`: `[n, D]`. */
  private lvlPosOf(start: number, n: number): tf.Tensor2D {
    const lvl = tf.tensor1d(this.lvl.subarray(start, start + n), "int32");
    return tf.gather(this.w.lvlEmbed, lvl).add(this.w.posEmbed.slice([start, 0], [n, -1]));
  }

  /** The start tokens of scale 1: class embedding + posStart + level/position: `[B, pn₁², D]`. */
  private startTokens(condBD: tf.Tensor2D): tf.Tensor3D {
    const first = this.config.patchNums[0] ** 2;
    return condBD.expandDims(1).add(this.w.posStart).add(this.lvlPosOf(0, first)) as tf.Tensor3D;
  }

  /** `wordEmbed` of a teacher-forcing / next-scale input `[B, n, Cvae]` placed at `start`. */
  private wordTokens(xBnC: tf.Tensor3D, start: number): tf.Tensor3D {
    return linear(xBnC, this.w.wordEmbed)
      .add(this.lvlPosOf(start, xBnC.shape[1])) as tf.Tensor3D;
  }

  /** adaLN parameters of a block for the class embeddings: six `[B, 1, D]`. */
  private modulation(block: Block, condBD: tf.Tensor2D): tf.Tensor[] {
    const D = this.config.width;
    const silu = condBD.mul(condBD.sigmoid());
    return tf.split(linear(silu, block.ada!).reshape([-1, 1, 6 * D]), 6, 2);
  }

  /**
   * One block on `xBLD`; `kv` (when given) holds this block's cached keys/values of earlier
   * positions and receives the new ones. `bias` is the additive mask for these queries.
   */
  private block(
    block: Block,
    xBLD: tf.Tensor3D,
    condBD: tf.Tensor2D,
    bias: tf.Tensor | null,
    kv?: KVCache,
  ): tf.Tensor3D {
    const { width: D, heads } = this.config;
    const dh = D / heads;
    const [B, n] = xBLD.shape;
    let h1: tf.Tensor,
      h2: (x: tf.Tensor) => tf.Tensor,
      g1: tf.Tensor | null = null,
      g2: tf.Tensor | null = null;
    if (block.ada) {
      const [gamma1, gamma2, scale1, scale2, shift1, shift2] = this.modulation(block, condBD);
      h1 = norm(xBLD).mul(scale1.add(1)).add(shift1);
      h2 = (x) => norm(x).mul(scale2.add(1)).add(shift2);
      g1 = gamma1;
      g2 = gamma2;
    } else {
      h1 = norm(xBLD).mul(block.ln1!.g).add(block.ln1!.b);
      h2 = (x) => norm(x).mul(block.ln2!.g).add(block.ln2!.b);
    }
    // Attention: qkv [B, n, 3, H, dh] -> [3, B, H, n, dh]
    const qkv = linear(h1, block.qkv).reshape([B, n, 3, heads, dh]).transpose([2, 0, 3, 1, 4]);
    const [q, kRaw, v] = tf.unstack(qkv) as tf.Tensor4D[];
    const k = block.scaleMul ? unit(kRaw) as tf.Tensor4D : kRaw;
    let keys = k, values = v;
    if (kv) {
      if (kv.k) {
        keys = tf.concat([kv.k, k], 2);
        values = tf.concat([kv.v!, v], 2);
      }
      kv.k = keys;
      kv.v = values;
    }
    let scores: tf.Tensor; // [B, H, n, Lk]
    if (block.scaleMul) {
      // VAR's attn_l2_norm: unit q and k per head, a learned scale (keys are cached normalised)
      const scale = block.scaleMul.minimum(Math.log(100)).exp();
      scores = tf.matMul(unit(q).mul(scale), keys, false, true);
    } else {
      scores = tf.matMul(q, keys, false, true).mul(1 / Math.sqrt(dh));
    }
    if (bias) scores = scores.add(bias);
    const att = tf.matMul(tf.softmax(scores), values) // [B, H, n, dh]
      .transpose([0, 2, 1, 3]).reshape([B, n, D]);
    let a = linear(att, block.proj);
    if (g1) a = a.mul(g1);
    const x1 = xBLD.add(a);
    const hidden = linear(h2(x1), block.fc1);
    let m = linear(hidden.mul(tf.sigmoid(hidden.mul(1.702))), block.fc2); // GELU (sigmoid approx.)
    if (g2) m = m.mul(g2);
    return x1.add(m) as tf.Tensor3D;
  }

  /** Head: (adaptive) layer norm, then Linear D → V: logits `[B, n, V]`. */
  private head(xBLD: tf.Tensor3D, condBD: tf.Tensor2D): tf.Tensor3D {
    let h: tf.Tensor;
    if (this.config.adaLN) {
      const silu = condBD.mul(condBD.sigmoid());
      const [scale, shift] = tf.split(
        linear(silu, this.w.head.ada!).reshape([
          -1,
          1,
          2 * this.config.width,
        ]),
        2,
        2,
      );
      h = norm(xBLD).mul(scale.add(1)).add(shift);
    } else {
      h = norm(xBLD).mul(this.w.head.ln!.g).add(this.w.head.ln!.b);
    }
    return linear(h, { w: this.w.head.w!, b: this.w.head.b! }) as tf.Tensor3D;
  }

  /** Class embeddings of labels: `[B, D]`. */
  private classEmbedding(labels: tf.Tensor1D): tf.Tensor2D {
    return tf.gather(this.w.classEmb, labels.toInt()) as tf.Tensor2D;
  }

  /**
   * Teacher-forcing forward (VAR's `forward(label_B, x_BLCv_wo_first_l)`): logits `[B, L, V]`
   * for every position, from class labels (`numClasses` = the null class) and the quantizer's
   * `idxBlToVarInput` (`xBLC`, `[B, L − pn₁², Cvae]`).
   */
  forward(labels: tf.Tensor1D, xBLC: tf.Tensor3D): tf.Tensor3D {
    const first = this.config.patchNums[0] ** 2;
    if (xBLC.rank !== 3 || xBLC.shape[1] !== this.L - first || xBLC.shape[2] !== this.config.cvae) {
      throw new InputError(
        `VAR.forward: expected x [B, ${this.L - first}, ${this.config.cvae}], got [${xBLC.shape}]`,
      );
    }
    if (labels.shape[0] !== xBLC.shape[0]) {
      throw new InputError(
        `VAR.forward: ${labels.shape[0]} labels for a batch of ${xBLC.shape[0]}`,
      );
    }
    return tf.tidy(() => {
      const cond = this.classEmbedding(labels);
      let x = tf.concat([this.startTokens(cond), this.wordTokens(xBLC, first)], 1) as tf.Tensor3D;
      for (const b of this.blocks) x = this.block(b, x, cond, this.maskBias);
      return this.head(x, cond);
    });
  }

  /**
   * The training loss of `labels` and the teacher-forcing input `xBLC` (as `forward` takes
   * them) against the tokens `tokBL` (`[B, L]`: every scale's token map, concatenated; VAR's
   * `gt_BL`): cross-entropy of every position's code, averaged over all positions. With `rand`
   * (uniform in [0, 1), e.g. `seededRandom(seed)`: the library draws nothing unseeded), labels are
   * first replaced by the null class with probability `condDropRate` ({@link VAR.dropLabels});
   * without it they are used as given (already dropped: a step run as a graph draws outside
   * it). Also returns the mean loss per scale (`[scales]`, without gradient).
   */
  loss(
    labels: tf.Tensor1D,
    xBLC: tf.Tensor3D,
    tokBL: tf.Tensor2D,
    rand?: () => number,
  ): { loss: tf.Scalar; perScale: tf.Tensor1D } {
    const B = labels.shape[0];
    const dropped = rand ? this.dropLabels(labels, rand) : labels;
    const out = tf.tidy(() => {
      const logits = this.forward(dropped, xBLC);
      const V = this.config.vocabSize;
      const logp = tf.logSoftmax(logits.reshape([B * this.L, V]));
      const nll = tf.oneHot(tokBL.reshape([-1]).toInt(), V).mul(logp).sum(1).neg()
        .reshape([B, this.L]);
      const perScale = tf.unsortedSegmentSum(
        nll.mean(0),
        tf.tensor1d(this.lvl, "int32"),
        this.config.patchNums.length,
      ).div(tf.tensor1d(this.config.patchNums.map((pn) => pn * pn)));
      return { loss: nll.mean() as tf.Scalar, perScale: stopGradient(perScale) as tf.Tensor1D };
    });
    if (dropped !== labels) dropped.dispose();
    return out;
  }

  /**
   * Class dropout (VAR's `cond_drop_rate`): `labels` with each replaced by the null class
   * (`numClasses`) with probability `condDropRate`, drawn from `rand`; int32 `[B]`.
   */
  dropLabels(labels: tf.Tensor1D, rand: () => number): tf.Tensor1D {
    const { condDropRate, numClasses } = this.config;
    const dropped = Int32Array.from(
      labels.dataSync(),
      (y) => rand() < condDropRate ? numClasses : y,
    );
    return tf.tensor1d(dropped, "int32");
  }

  /**
   * Generates token maps for `labels` (class indices), one forward per scale. Returns
   * `idxBl` and f̂ after the last scale (decode it with the tokenizer's `fhatToImg`).
   */
  generate(
    quantizer: TokenOrder,
    labels: number[],
    options: GenerateOptions = {},
  ): { idxBl: tf.Tensor2D[]; fHat: tf.Tensor4D } {
    const steps = this.generateScales(quantizer, labels, options);
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /**
   * {@link VAR.generate} one scale at a time: yields after each scale its token map `idxBn`
   * (`int32 [B, pn²]`), f̂ so far (`[B, h, w, Cvae]`) and the logits the tokens were drawn from
   * (`[B, pn², V]`, after guidance; VAR's `logits_BlV`), all owned by the generator and valid
   * until the next step (clone to keep); returns what `generate` returns. A page draws each
   * scale as it comes; stopping early frees everything. With `teacherForce` keeping every
   * token and `cfg: 0`, the logits are the teacher-forced {@link VAR.forward}'s, step by step
   * through the KV cache.
   *
   * @example
   * ```ts
   * import { asMultiScale, loadCheckpoint, VAR, type VARConfig } from "vqvar";
   * const { model: tokenizer } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
   * const q = asMultiScale(tokenizer.quantizer);
   * const { model } = await loadCheckpoint("fashion-mnist-var", (c: VARConfig) => new VAR(c));
   * for (const { scale, fHat } of model.generateScales(q, [1], { cfg: 3, seed: 0 })) {
   *   const image = tokenizer.fhatToImg(fHat); // the picture after this scale
   *   console.log(scale, image.shape);
   *   image.dispose();
   * }
   * ```
   */
  *generateScales(
    quantizer: TokenOrder,
    labels: number[],
    { cfg = 1.5, topK = 0, topP = 1, seed = 0, useCache = true, teacherForce }: GenerateOptions =
      {},
  ): Generator<
    { scale: number; idxBn: tf.Tensor2D; fHat: tf.Tensor4D; logits: tf.Tensor3D },
    { idxBl: tf.Tensor2D[]; fHat: tf.Tensor4D }
  > {
    this.checkGenerate(quantizer, labels, teacherForce);
    const { patchNums } = this.config;
    const B = labels.length;
    const guided = cfg > 0;
    const rand = seededRandom(seed);
    const { cond, state } = this.startGeneration(labels, guided, useCache);
    let next: tf.Tensor3D | undefined = tf.tidy(() => this.startTokens(cond));
    let fHat: tf.Tensor4D = tf.zeros([B, quantizer.maxPatch, quantizer.maxPatch, this.config.cvae]);
    const idxBl: tf.Tensor2D[] = [], SN = patchNums.length;
    // The last step's logits, and a step's while the step before is reported.
    let logits: tf.Tensor3D | undefined, ahead: tf.Tensor3D | undefined, finished = false;
    try {
      for (let si = 0; si < SN; si++) {
        const n = patchNums[si] ** 2;
        const t = guided ? cfg * si / Math.max(1, SN - 1) : undefined;
        let idx: Int32Array, newLogits: tf.Tensor3D;
        if (useCache) {
          // Cached: step si's pass also adds step si − 1's codes to f̂ (one graph call a step),
          // so step si − 1 is reported once step si's logits are in.
          const prev = si > 0 ? { quantizer, fHat, idxBn: idxBl[si - 1], si } : undefined;
          let newFhat: tf.Tensor4D | undefined;
          [ahead, idx, newFhat] = this.cachedStep(next, cond, state, t, topK, topP, rand, prev);
          if (newFhat) {
            [fHat, next] = [newFhat, void disposeAll([fHat, next])];
            yield { scale: si - 1, idxBn: idxBl[si - 1], fHat, logits: logits! };
          }
          [newLogits, ahead] = [ahead, undefined];
        } else {
          [newLogits, idx] = this.uncachedStep(next!, cond, state, n, t, topK, topP, rand);
        }
        logits?.dispose(); // the previous step's
        logits = newLogits;
        if (teacherForce) forceTokens(idx, teacherForce.idxBl[si], teacherForce.keep[si], B, n);
        const idxBn = tf.tensor2d(idx, [B, n], "int32");
        idxBl.push(idxBn);
        state.start += n;
        if (useCache && si < SN - 1) continue; // its codes go in with the next step's pass
        const [newFhat, newNext] = this.advance(quantizer, si, fHat, idxBn, state.start, guided);
        disposeAll([fHat, next]);
        [fHat, next] = [newFhat, newNext];
        yield { scale: si, idxBn, fHat, logits };
      }
      finished = true;
    } finally {
      const caches = state.caches.flatMap((c) => [c.k, c.v]);
      disposeAll([cond, next, logits, ahead, ...state.inputs, ...caches]);
      if (!finished) tf.dispose([fHat, ...idxBl]); // stopped early: nothing is returned
    }
    return { idxBl, fHat };
  }

  /**
   * Generation's start: the class embeddings `[rows, D]` (with guidance, the null class's after
   * the labels') and empty caches.
   */
  private startGeneration(
    labels: number[],
    guided: boolean,
    useCache: boolean,
  ): { cond: tf.Tensor2D; state: DecodeState } {
    const rows = guided ? [...labels, ...labels.map(() => this.config.numClasses)] : labels;
    const cond = tf.tidy(() => this.classEmbedding(tf.tensor1d(rows, "int32")));
    const caches = this.blocks.map((): KVCache => ({}));
    return { cond, state: { caches, inputs: [], start: 0, useCache } };
  }

  /** Throws an `InputError` unless the quantizer, labels and forced tokens fit this model. */
  private checkGenerate(
    quantizer: TokenOrder,
    labels: number[],
    teacherForce: GenerateOptions["teacherForce"],
  ) {
    const { patchNums, numClasses, vocabSize } = this.config;
    if (quantizer.vocabSize !== vocabSize || quantizer.cvae !== this.config.cvae) {
      throw new InputError("VAR.generate: the quantizer's vocabSize/cvae differ from the model's");
    }
    if (String(quantizer.patchNums) !== String(patchNums)) {
      throw new InputError(
        `VAR.generate: quantizer patchNums [${quantizer.patchNums}] ≠ [${patchNums}]`,
      );
    }
    if (teacherForce) {
      const { idxBl, keep } = teacherForce;
      const ok = idxBl.length === patchNums.length && keep.length === patchNums.length &&
        patchNums.every((pn, si) =>
          idxBl[si].shape[0] === labels.length && idxBl[si].shape[1] === pn * pn &&
          keep[si].length === pn * pn
        );
      if (!ok) {
        throw new InputError(
          `teacherForce must give, for each of the ${patchNums.length} steps, tokens [${labels.length}, pn²] and pn² keep flags`,
        );
      }
    }
    for (const y of labels) {
      if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
        throw new InputError(`labels must be class indices in [0, ${numClasses - 1}], got ${y}`);
      }
    }
  }

  /**
   * The logits `[B, n, V]` of the next step's `n` tokens from its inputs `next`; `t` is the
   * guidance weight of this step (undefined: unguided). Uncached: a pass over all inputs so far
   * (the cached pass is {@link VAR.cachedStep}'s).
   */
  private scaleLogits(
    next: tf.Tensor3D,
    cond: tf.Tensor2D,
    state: DecodeState,
    n: number,
    t: number | undefined,
  ): tf.Tensor3D {
    return tf.tidy(() => {
      state.inputs.push(tf.keep(next.clone()));
      let x = tf.concat(state.inputs, 1) as tf.Tensor3D;
      const len = state.start + n;
      const bias = this.maskBias.slice([0, 0], [len, len]);
      for (const b of this.blocks) x = this.block(b, x, cond, bias);
      x = x.slice([0, state.start, 0], [-1, n, -1]);
      const l = this.head(x, cond); // [rows, n, V]
      if (t === undefined) return l;
      // VAR: t = cfg · si / (SN − 1); logits = (1 + t) · cond − t · uncond
      const [c, u] = tf.split(l, 2, 0);
      return c.mul(1 + t).sub(u.mul(t)) as tf.Tensor3D;
    });
  }

  /**
   * One cached step of generation: the logits `[B, n, V]` of the step's tokens (one pass over
   * the new positions, the blocks' key/value caches updated; guidance weight `t`, undefined:
   * unguided), and the tokens drawn from them. The first step's inputs are `next`; a later step
   * `prev.si` first adds the step before's codes `prev.idxBn` to `prev.fHat` and makes its word
   * tokens from that, returning the new f̂ too. The pass runs as one graph per step
   * ({@link GraphFunction}); without top-k and top-p the draw is in it, from the whole softmax,
   * else in JavaScript from the sorted top-k.
   */
  private cachedStep(
    next: tf.Tensor3D | undefined,
    cond: tf.Tensor2D,
    state: DecodeState,
    t: number | undefined,
    topK: number,
    topP: number,
    rand: () => number,
    prev?: { quantizer: TokenOrder; fHat: tf.Tensor4D; idxBn: tf.Tensor2D; si: number },
  ): [tf.Tensor3D, Int32Array, tf.Tensor4D | undefined] {
    const V = this.config.vocabSize;
    // No truncation: one draw per token from the whole softmax, inside the graph.
    const whole = topK <= 0 && topP >= 1;
    const k = whole ? 0 : topK > 0 ? Math.min(topK, V) : V;
    const kv = state.caches.flatMap((c) => c.k ? [c.k, c.v!] : []);
    const guided = t !== undefined;
    const weights = guided ? [tf.tensor1d([1 + t, t])] : [];
    const B = prev ? prev.fHat.shape[0] : (guided ? next!.shape[0] / 2 : next!.shape[0]);
    const step = prev?.si ?? 0;
    const rows = B * this.config.patchNums[step] ** 2;
    const uniforms = whole ? [tf.tensor1d(Float32Array.from({ length: rows }, () => rand()))] : [];
    const head = prev ? [prev.fHat, prev.idxBn] : [next!];
    this.decodeContext = { guided, k, whole, step, start: state.start, quantizer: prev?.quantizer };
    const out = this.decoding().step.call(
      [...head, cond, ...weights, ...uniforms, ...kv],
      `step ${guided} ${k} ${prev ? `${orderId(prev.quantizer)} ${step}` : 0}`,
    );
    tf.dispose([...weights, ...uniforms, ...kv]);
    const newFhat = prev ? out.shift() as tf.Tensor4D : undefined;
    const logits = out.shift() as tf.Tensor3D;
    const drawn = out.splice(0, whole ? 1 : 2);
    state.caches.forEach((c, b) => [c.k, c.v] = [out[2 * b], out[2 * b + 1]] as tf.Tensor4D[]);
    const idx = whole ? drawn[0].dataSync() as Int32Array : sampleSorted(
      drawn[0].dataSync(),
      drawn[1].dataSync() as Int32Array,
      rows,
      k,
      topP,
      rand,
    );
    tf.dispose(drawn);
    return [logits, idx, newFhat];
  }

  /** One uncached step: the logits over all inputs so far, and the tokens drawn from them. */
  private uncachedStep(
    next: tf.Tensor3D,
    cond: tf.Tensor2D,
    state: DecodeState,
    n: number,
    t: number | undefined,
    topK: number,
    topP: number,
    rand: () => number,
  ): [tf.Tensor3D, Int32Array] {
    const logits = this.scaleLogits(next, cond, state, n, t);
    const flat = logits.reshape([-1, this.config.vocabSize]) as tf.Tensor2D;
    const idx = sampleTokens(flat, topK, topP, rand);
    flat.dispose();
    return [logits, idx];
  }

  /**
   * After step `si`'s tokens `idxBn`: f̂ with their codes added, and the next step's word
   * tokens (undefined after the last step), as a graph per step.
   */
  private advance(
    quantizer: TokenOrder,
    si: number,
    fHat: tf.Tensor4D,
    idxBn: tf.Tensor2D,
    start: number,
    guided: boolean,
  ): [tf.Tensor4D, tf.Tensor3D | undefined] {
    this.decodeContext = { quantizer, si, start, guided };
    const [f, next] = this.decoding().advance.call(
      [fHat, idxBn],
      `advance ${orderId(quantizer)} ${si} ${start} ${guided}`,
    );
    return [f as tf.Tensor4D, next as tf.Tensor3D | undefined];
  }

  /**
   * Generation's two graph functions, made on first use: a cached step's pass (inputs: word
   * tokens, class embeddings, guidance weights `[1 + t, t]` when guided, the blocks' caches;
   * results: logits, their top-k values and indices, the new caches) and the advance (f̂ and
   * the step's tokens in; f̂ and the next word tokens out). Each reads the rest of its step from
   * `decodeContext`, which its call's key names.
   */
  private decoding(): { step: GraphFunction; advance: GraphFunction } {
    const maxGraphs = 4 * this.config.patchNums.length;
    const threads = ([x]: tf.Tensor[]) => x.size <= SMALL_STEP ? 1 : 0;
    return this.decodeGraphs ??= {
      step: new GraphFunction((inputs) => tf.tidy(() => this.decodeStep(inputs)), {
        maxGraphs,
        threads,
      }),
      advance: new GraphFunction(([fHat, idxBn]) =>
        tf.tidy(() => {
          const { quantizer, si, start, guided } = this.decodeContext as {
            quantizer: TokenOrder;
            si: number;
            start: number;
            guided: boolean;
          };
          const { patchNums } = this.config;
          const [f, nextIn] = quantizer.nextAutoregressiveInput(
            si,
            fHat as tf.Tensor4D,
            quantizer.embed(idxBn, patchNums[si]),
          );
          if (si === patchNums.length - 1) return [f];
          return [f, this.nextWordTokens(nextIn, patchNums[si + 1], start, guided)];
        }), { maxGraphs, threads }),
    };
  }

  /**
   * The function of a cached step's graph ({@link VAR.decoding}): inputs `[next | f̂, idx of the
   * step before], cond, [1 + t, t] (guided), uniforms (whole softmax), the blocks' caches`;
   * results `[f̂ (with the step before's codes), logits, drawn tokens | top-k values and
   * indices, the new caches]`. The rest of the step comes from `decodeContext`.
   */
  private decodeStep(inputs: tf.Tensor[]): tf.Tensor[] {
    const { guided, k, whole, step, start, quantizer } = this.decodeContext as {
      guided: boolean;
      k: number;
      whole: boolean;
      step: number;
      start: number;
      quantizer?: TokenOrder;
    };
    const rest = [...inputs];
    let fHat: tf.Tensor4D | undefined, next: tf.Tensor3D;
    if (quantizer) {
      // Step − 1's codes into f̂, and this step's word tokens from it.
      const { patchNums } = this.config;
      const [f, idxPrev] = rest.splice(0, 2);
      const [newF, nextIn] = quantizer.nextAutoregressiveInput(
        step - 1,
        f as tf.Tensor4D,
        quantizer.embed(idxPrev, patchNums[step - 1]),
      );
      fHat = newF;
      next = this.nextWordTokens(nextIn, patchNums[step], start, guided);
    } else next = rest.shift() as tf.Tensor3D;
    const cond = rest.shift() as tf.Tensor2D;
    const w = guided ? rest.shift() : undefined;
    const u = whole ? rest.shift() : undefined;
    const caches: KVCache[] = this.blocks.map((_, b) =>
      rest.length ? { k: rest[2 * b] as tf.Tensor4D, v: rest[2 * b + 1] as tf.Tensor4D } : {}
    );
    let x = next;
    this.blocks.forEach((block, b) => x = this.block(block, x, cond, null, caches[b]));
    let l: tf.Tensor = this.head(x, cond); // [rows, n, V]
    if (w) {
      // VAR: t = cfg · si / (SN − 1); logits = (1 + t) · cond − t · uncond
      const [c, uc] = tf.split(l, 2, 0);
      const [plus, t] = tf.split(w, 2);
      l = c.mul(plus).sub(uc.mul(t));
    }
    const flat = l.reshape([-1, this.config.vocabSize]);
    const kvOut = caches.flatMap((c) => [c.k!, c.v!]);
    const f = fHat ? [fHat] : [];
    if (u) return [...f, l, drawFromSoftmax(flat, u as tf.Tensor1D), ...kvOut];
    const { values, indices } = tf.topk(flat, k, true);
    return [...f, l, values, indices, ...kvOut];
  }

  /** The next step's word tokens `[rows, pn², D]` from the quantizer's next input. */
  private nextWordTokens(
    nextIn: tf.Tensor,
    pnNext: number,
    start: number,
    guided: boolean,
  ): tf.Tensor3D {
    return tf.tidy(() => {
      const B = nextIn.shape[0];
      const t = this.wordTokens(nextIn.reshape([B, pnNext * pnNext, this.config.cvae]), start);
      return guided ? tf.concat([t, t], 0) as tf.Tensor3D : t;
    });
  }

  /**
   * How generation's cached steps have run so far (eagerly, as graphs), both of its graph
   * functions together ({@link VAR.generateScales}).
   */
  get generationCalls(): GraphCalls {
    const [a, b] = [this.decodeGraphs?.step.calls, this.decodeGraphs?.advance.calls];
    const sum = (k: keyof GraphCalls) => (a?.[k] ?? 0) + (b?.[k] ?? 0);
    return { eager: sum("eager"), graph: sum("graph"), built: sum("built") };
  }

  /** Frees the weights, the mask and generation's graphs. */
  dispose(): void {
    tf.dispose([...this.vars.values(), this.maskBias]);
    this.decodeGraphs?.step.dispose();
    this.decodeGraphs?.advance.dispose();
  }
}

/**
 * Samples one code per row of `logits` (`[N, V]`): top-k, then top-p (nucleus), then a draw
 * from the renormalised probabilities with `rand`.
 */
export function sampleTokens(
  logits: tf.Tensor2D,
  topK: number,
  topP: number,
  rand: () => number,
): Int32Array {
  const [N, V] = logits.shape;
  const k = topK > 0 ? Math.min(topK, V) : V;
  const { values, indices } = tf.topk(logits, k, true);
  const vals = values.dataSync(), idx = indices.dataSync() as Int32Array;
  tf.dispose([values, indices]);
  return sampleSorted(vals, idx, N, k, topP, rand);
}

/**
 * {@link sampleTokens} after its top-k: each of the `N` rows' `k` largest logits `vals` (sorted,
 * largest first) and their codes `idx`; top-p, then a draw with `rand`.
 */
function sampleSorted(
  vals: ArrayLike<number>,
  idx: Int32Array,
  N: number,
  k: number,
  topP: number,
  rand: () => number,
): Int32Array {
  const out = new Int32Array(N);
  const p = new Float64Array(k);
  for (let r = 0; r < N; r++) {
    const off = r * k;
    const max = vals[off];
    let sum = 0;
    for (let j = 0; j < k; j++) sum += p[j] = Math.exp(vals[off + j] - max);
    // Nucleus: the smallest prefix (sorted, most likely first) with mass ≥ topP.
    let keep = k, mass = 0;
    if (topP < 1) {
      for (let j = 0; j < k; j++) {
        mass += p[j] / sum;
        if (mass >= topP) {
          keep = j + 1;
          break;
        }
      }
    }
    let total = 0;
    for (let j = 0; j < keep; j++) total += p[j];
    let u = rand() * total, j = 0;
    for (; j < keep - 1; j++) {
      u -= p[j];
      if (u <= 0) break;
    }
    out[r] = idx[off + j];
  }
  return out;
}

/**
 * One code per row of `logits` (`[N, V]`), drawn from its whole softmax with the uniforms `u`
 * (`[N]`): the first code whose cumulative probability, in code order, exceeds `u` (inverse
 * transform sampling, as `torch.multinomial` draws; int32 `[N]`).
 */
function drawFromSoftmax(logits: tf.Tensor, u: tf.Tensor1D): tf.Tensor1D {
  const V = logits.shape[1]!;
  const cdf = tf.cumsum(tf.softmax(logits), 1);
  const total = cdf.slice([0, V - 1], [-1, 1]); // 1 up to rounding
  const below = cdf.less(u.expandDims(1).mul(total)).toInt().sum(1);
  return below.minimum(V - 1) as tf.Tensor1D;
}

/** Frees the tensors of `tensors` that are there. */
function disposeAll(tensors: (tf.Tensor | undefined)[]): void {
  tf.dispose(tensors.filter((t): t is tf.Tensor => t !== undefined));
}

/** A number per token order, for the keys of generation's graphs. */
const orderIds = new WeakMap<TokenOrder, number>();
let orderCount = 0;
function orderId(order: TokenOrder): number {
  let id = orderIds.get(order);
  if (id === undefined) orderIds.set(order, id = ++orderCount);
  return id;
}

/** What generation carries from step to step besides the tokens. */
interface DecodeState {
  /** The blocks' key/value caches (cached decoding). */
  caches: KVCache[];
  /** Every step's token inputs so far (uncached decoding). */
  inputs: tf.Tensor3D[];
  /** Tokens decided before this step. */
  start: number;
  useCache: boolean;
}

/** Overwrites the sampled tokens `idx` (`[B·n]`) with `given` wherever `keep` says so. */
function forceTokens(
  idx: Int32Array,
  given: tf.Tensor2D,
  keep: readonly boolean[],
  B: number,
  n: number,
): void {
  const g = given.dataSync();
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < n; j++) if (keep[j]) idx[b * n + j] = g[b * n + j];
  }
}
