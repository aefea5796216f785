/** Seeded pseudo-random numbers for JavaScript-side choices (shuffles, samples). */
/** mulberry32: a small, fast generator with a 32-bit state; returns floats in [0, 1). */
export declare function seededRandom(seed: number): () => number;
/** A seeded Fisher–Yates shuffle of 0..n-1. */
export declare function shuffledIndices(n: number, rand: () => number): Int32Array;
