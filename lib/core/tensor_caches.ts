/**
 * The library's caches of kept tensors, counted in one place: each cache registers a counter
 * here, and {@link cachedTensors} reports them all. A program (or a notebook's last cell) can
 * then tell the tensors lib keeps on purpose from a leak: `tf.memory().numTensors` grows by
 * exactly `cachedTensors().total` over a run that disposes what it made.
 */
import { tf } from "./backend.ts";
import { claim } from "./claim.ts";

const counters = new Map<string, () => number>();

/** Registers a cache of kept tensors under `name`; `count` says how many it holds now. */
export function registerTensorCache(name: string, count: () => number): void {
  counters.set(name, count);
}

/** How many tensors lib's caches keep: in all and by cache. */
export interface CachedTensors {
  /** Tensors kept by all caches. */
  total: number;
  /** Tensors kept by each cache, by its name (e.g. "resize matrices"). */
  byCache: Record<string, number>;
}

/**
 * The tensors lib keeps alive on purpose (resampling matrices, `idxBlToVarInput`'s index
 * tensors), by cache.
 *
 * @example
 * ```ts
 * import { cachedTensors, resize, tf } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const before = tf.memory().numTensors, cachedBefore = cachedTensors().total;
 * tf.tidy(() => {
 *   resize(tf.zeros([1, 3, 3, 1]) as tf.Tensor4D, [5, 5], "bicubic"); // tidy frees input and output
 * });
 * // nothing is left but what the caches keep
 * assertEquals(tf.memory().numTensors - before, cachedTensors().total - cachedBefore);
 * ```
 */
export function cachedTensors(): CachedTensors {
  const byCache: Record<string, number> = {};
  let total = 0;
  for (const [name, count] of counters) {
    byCache[name] = count();
    total += byCache[name];
  }
  return { total, byCache };
}

/** What {@link tensorsNow} reads: tensors alive, and how many of them lib's caches keep. */
export interface TensorCount {
  /** `tf.memory().numTensors`. */
  tensors: number;
  /** `cachedTensors().total`. */
  cached: number;
}

/** Tensors alive now and how many of them lib's caches keep (for {@link claimNoLeaks}). */
export function tensorsNow(): TensorCount {
  return { tensors: tf.memory().numTensors, cached: cachedTensors().total };
}

/**
 * A program's closing check: every tensor made since `atStart` ({@link tensorsNow} at its
 * start) and still alive is one that lib's caches keep on purpose ({@link cachedTensors}).
 * Prints the count, by cache, as a ✓ line (see `claim`), or throws a `ClaimError` saying how
 * many leaked.
 *
 * @example
 * ```ts
 * import { claimNoLeaks, tensorsNow, tf } from "vqvar";
 * const atStart = tensorsNow();
 * tf.tidy(() => {
 *   tf.ones([2, 2]).square(); // without the tidy: "… 2 leaked" (the ones and their square)
 * });
 * claimNoLeaks(atStart, "this example");
 * ```
 */
export function claimNoLeaks(atStart: TensorCount, what = "this notebook"): void {
  const now = tensorsNow();
  const alive = now.tensors - atStart.tensors, cached = now.cached - atStart.cached;
  const caches = Object.entries(cachedTensors().byCache).filter(([, n]) => n > 0)
    .map(([cache, n]) => `${cache} ${n}`).join(", ");
  claim(
    alive === cached,
    alive === cached && alive === 0
      ? `tensors made by ${what} and still alive: 0`
      : `tensors made by ${what} and still alive: ${alive}, of which lib's caches keep ${cached} on purpose (${caches}): ${
        alive - cached
      } leaked`,
  );
}
