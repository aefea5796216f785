/** Seeded pseudo-random numbers for JavaScript-side choices (shuffles, samples). */

/** A seeded generator of floats in [0, 1) whose `state` can be read and set (to resume a run). */
export interface SeededRandom {
  (): number;
  /** The 32-bit state: set it back to a value read earlier to replay the same numbers. */
  state: number;
}

/**
 * mulberry32: a small, fast generator with a 32-bit state; returns floats in [0, 1).
 *
 * @example
 * ```ts
 * import { seededRandom } from "vqvar";
 * const rand = seededRandom(42);
 * const saved = rand.state;
 * const a = rand();
 * rand.state = saved;
 * console.log(rand() === a); // true
 * ```
 */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.defineProperty(next, "state", {
    get: () => a,
    set: (v: number) => {
      a = v >>> 0;
    },
  }) as SeededRandom;
}

/** A seeded Fisher–Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, rand: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
