/**
 * Dead-code restart: codes that no input chose for a while are moved onto recent encoder
 * outputs, so they can be chosen again (the usual cure for codebook collapse).
 */
import { tf } from "./backend.ts";
export interface RestartOptions {
    /** Codes chosen fewer times than this since the last restart are dead (default 1). */
    minCount?: number;
    /** Standard deviation of noise added to the replacement vectors (default 0). */
    noise?: number;
}
export declare class DeadCodeTracker {
    readonly vocabSize: number;
    readonly dim: number;
    private readonly rand;
    /** How often each code was chosen since the last restart: `[V]`. */
    readonly hits: tf.Variable<tf.Rank.R1>;
    /** The most recent vectors seen: `[recentSize, C]`, newest last. */
    readonly recent: tf.Variable<tf.Rank.R2>;
    private filled;
    constructor(vocabSize: number, dim: number, recentSize: number, rand: () => number);
    /** Adds code hits (`countsV`, `[V]`, e.g. from `codeCounts`). */
    addHits(countsV: tf.Tensor1D): void;
    /** Keeps the newest vectors of `zNc` (`[N, C]`; a random `recentSize` of them when more). */
    remember(zNc: tf.Tensor2D): void;
    /**
     * Moves dead codes of `codebook` onto random recent vectors and resets the counts. `then`
     * receives the dead indices (`int32 [D, 1]`) and their new vectors (`[D, C]`) inside the
     * same tidy scope, for state that must follow (EMA sums). Returns how many were restarted.
     */
    restart(codebook: tf.Variable<tf.Rank.R2>, { minCount, noise }?: RestartOptions, then?: (deadIdx: tf.Tensor2D, fresh: tf.Tensor2D) => void): number;
    dispose(): void;
}
