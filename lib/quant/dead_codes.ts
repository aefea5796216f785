/**
 * Dead-code restart: codes that no input chose for a while are moved onto recent encoder
 * outputs, so they can be chosen again (the usual cure for codebook collapse).
 */
import { tf } from "../core/backend.ts";
import type { SeededRandom } from "../core/random.ts";

/** Options of a dead-code restart. */
export interface RestartOptions {
  /** Codes chosen fewer times than this since the last restart are dead (default 1). */
  minCount?: number;
  /** Standard deviation of noise added to the replacement vectors (default 0). */
  noise?: number;
}

/** Hit counts per code and a ring buffer of recent inputs: what dead-code restarts need. */
export class DeadCodeTracker {
  /** How often each code was chosen since the last restart: `[V]`. */
  readonly hits: tf.Variable<tf.Rank.R1>;
  /** The most recent vectors seen: `[recentSize, C]`, newest last. */
  readonly recent: tf.Variable<tf.Rank.R2>;
  private filled = 0;

  /** A tracker for `vocabSize` codes of `dim` channels, keeping `recentSize` inputs. */
  constructor(
    readonly vocabSize: number,
    readonly dim: number,
    recentSize: number,
    private readonly rand: SeededRandom,
  ) {
    this.hits = tf.tidy(() => tf.variable(tf.zeros([vocabSize]), false));
    this.recent = tf.tidy(() => tf.variable(tf.zeros([recentSize, dim]), false));
  }

  /** Its part of a quantizer's run state: the two buffers, the fill level, the generator. */
  runState(): { variables: Map<string, tf.Variable>; numbers: Record<string, number> } {
    return {
      variables: new Map<string, tf.Variable>([
        ["deadCodes.hits", this.hits],
        ["deadCodes.recent", this.recent],
      ]),
      numbers: { "deadCodes.filled": this.filled, "deadCodes.random": this.rand.state },
    };
  }

  /** Restores the numbers of {@link DeadCodeTracker.runState}. */
  restoreRunState(numbers: Record<string, number>): void {
    this.filled = numbers["deadCodes.filled"];
    this.rand.state = numbers["deadCodes.random"];
  }

  /** Adds code hits (`countsV`, `[V]`, e.g. from `codeCounts`). */
  addHits(countsV: tf.Tensor1D): void {
    tf.tidy(() => this.hits.assign(this.hits.add(countsV)));
  }

  /** Keeps the newest vectors of `zNc` (`[N, C]`; a random `recentSize` of them when more). */
  remember(zNc: tf.Tensor2D): void {
    const pick = this.drawRows(zNc.shape[0]);
    tf.tidy(() => this.rememberRows(zNc, pick && tf.tensor1d(pick, "int32")));
  }

  /**
   * The first half of {@link DeadCodeTracker.remember}, in JavaScript: which of `n` new rows
   * to keep (a random `recentSize` of them; undefined: all fit), and the fill level advanced.
   */
  drawRows(n: number): Int32Array | undefined {
    const r = this.recent.shape[0];
    const take = Math.min(n, r);
    this.filled = Math.min(r, this.filled + take);
    if (take === n) return undefined;
    const pick = new Int32Array(take);
    for (let i = 0; i < take; i++) pick[i] = Math.floor(this.rand() * n);
    return pick;
  }

  /** The second half, in tensors: the rows of `zNc` that `pick` names (all without) kept. */
  rememberRows(zNc: tf.Tensor2D, pick?: tf.Tensor1D): void {
    tf.tidy(() => {
      const rows = pick ? tf.gather(zNc, pick) : zNc;
      const r = this.recent.shape[0], take = rows.shape[0];
      this.recent.assign(tf.concat([this.recent.slice([take, 0], [r - take, this.dim]), rows]));
    });
  }

  /**
   * Moves dead codes of `codebook` onto random recent vectors and resets the counts. `then`
   * receives the dead indices (`int32 [D, 1]`) and their new vectors (`[D, C]`) inside the
   * same tidy scope, for state that must follow (EMA sums). Returns how many were restarted.
   */
  restart(
    codebook: tf.Variable<tf.Rank.R2>,
    { minCount = 1, noise = 0 }: RestartOptions = {},
    then?: (deadIdx: tf.Tensor2D, fresh: tf.Tensor2D) => void,
  ): number {
    if (this.filled === 0) return 0;
    const hits = this.hits.dataSync();
    const dead: number[] = [];
    for (let i = 0; i < hits.length; i++) if (hits[i] < minCount) dead.push(i);
    tf.tidy(() => {
      if (dead.length) {
        const r = this.recent.shape[0];
        const picks = new Int32Array(dead.length);
        for (let i = 0; i < picks.length; i++) {
          picks[i] = r - 1 - Math.floor(this.rand() * this.filled);
        }
        let fresh = tf.gather(this.recent, tf.tensor1d(picks, "int32")) as tf.Tensor2D;
        if (noise > 0) {
          // Seeded from the tracker's generator, as every draw in the library is.
          const seed = Math.floor(this.rand() * 2 ** 31);
          fresh = fresh.add(tf.randomNormal(fresh.shape, 0, noise, "float32", seed));
        }
        const deadIdx = tf.tensor2d(dead, [dead.length, 1], "int32");
        codebook.assign(tf.tensorScatterUpdate(codebook, deadIdx, fresh));
        then?.(deadIdx, fresh);
      }
      this.hits.assign(tf.zerosLike(this.hits));
    });
    return dead.length;
  }

  /** Frees the counts and the buffer. */
  dispose(): void {
    tf.dispose([this.hits, this.recent]);
  }
}
