/**
 * What the page (`app.ts`, the main thread) and the model worker (`worker.ts`) say to each
 * other. The worker holds TensorFlow.js and every model; the page only draws, so no model run
 * can block scrolling, typing or clicking, on any backend.
 */
import type { Figure } from "../lib/viz/display.ts";

/** Sampling options for generation (VAR's `cfg`, `top_p`, seed). */
export interface SampleOptions {
  cfg: number;
  topP: number;
  seed: number;
}

/**
 * A job the page asks of the worker. `cols`: columns of the token-map figures; `drawScales`: a
 * generation reports the first sample's image after every scale (else only the scale).
 */
export type Request =
  | { op: "testImage"; index: number }
  | { op: "file"; file: File }
  | { op: "tokenize"; pixels: Float32Array; cols: number }
  | { op: "maps"; cols: number }
  | { op: "generate"; cls: number; n: number; options: SampleOptions; drawScales: boolean }
  | { op: "inpaint"; pixels: Float32Array; mask: Uint8Array; cls: number; options: SampleOptions };

/** What each job resolves with. */
export interface Results {
  testImage: { pixels: Float32Array; label: number };
  file: { pixels: Float32Array; steps: string };
  tokenize: Tokenized;
  maps: { tokens: Figure; residuals: Figure };
  generate: { predicted: number[]; pixels: Float32Array; ms: number };
  inpaint: { regenerated: number; keptEqual: boolean; ms: number };
}

/** One tokenization: token maps, reconstructions and residuals, and their figures. */
export interface Tokenized {
  /** Token maps, one flat array of pn² indices per scale. */
  idxBl: number[][];
  /** The image after scales 1…k, for k = 1…K (28 × 28 each). */
  reconstructions: Float32Array[];
  /** Largest ‖f − f̂ₖ‖ over the cells, after each scale. */
  residualMax: number[];
  tokens: Figure;
  residuals: Figure;
  /** Milliseconds in the worker: image → token maps. */
  ms: number;
}

/** Sent once the models are loaded. */
export interface Ready {
  kind: "ready";
  backend: "webgl" | "wasm" | "cpu";
  /** The page's address chose the backend. */
  asked: boolean;
  /** WebGL would be emulated on the CPU here. */
  noGpu: boolean;
  /** What is wrong with the address's `?backend=`, if anything. */
  problem?: string;
  patchNums: number[];
  vocabSize: number;
  tokensPerImage: number;
  testImages: number;
  classes: string[];
}

/** A message from the worker. */
export type Reply =
  | Ready
  | { kind: "fatal"; message: string }
  | { kind: "progress"; id: number; scale: number; pixels?: Float32Array; ms: number }
  | { kind: "result"; id: number; result: unknown }
  | { kind: "error"; id: number; message: string };
