/**
 * Checkpoints: a model's config, metrics and weights in TensorFlow.js's weights format.
 *
 * A checkpoint is a folder with `checkpoint.json` (config, metrics and a TF.js
 * `weightsManifest`) and the weights file it names. Saving is atomic: the weights go to a new
 * file named after their content hash, then `checkpoint.json` is written to a temporary file
 * and renamed over the old one (a rename is atomic). An interrupted save leaves the previous
 * checkpoint whole; the old weights file is removed only after the rename.
 */
import { InputError } from "../core/errors.ts";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { readBytes, readText, shippedPath } from "../core/files.ts";
import { tf } from "../core/backend.ts";
import { createModel, type VQModel, type VQVAEConfig } from "../models/vqvae.ts";

/** Names of the variables that hold a run's state (not the model's) in a training checkpoint. */
export const TRAINING_PREFIX = "training/";

/** The `format` field of every checkpoint.json. */
export const CHECKPOINT_FORMAT = "vqvar-checkpoint";
/** The version of the checkpoint format this library reads and writes. */
export const CHECKPOINT_VERSION = 1;

/** Anything with a config and named variables: VQ-VAE models, VAR, the classifier. */
export interface Checkpointable<C = unknown> {
  /** Enough to build the model again. */
  readonly config: C;
  /** Every variable by a stable name. */
  variables(): Map<string, tf.Variable>;
}

/** One variable in the weights file: TensorFlow.js's `WeightsManifestEntry`. */
export interface WeightSpec {
  /** The variable's stable name. */
  name: string;
  /** Its shape. */
  shape: number[];
  /** Its dtype (`float32`). */
  dtype: "float32" | "int32" | "bool" | "string" | "complex64";
}

/** The contents of checkpoint.json. */
export interface CheckpointManifest<C = VQVAEConfig> {
  /** Always {@link CHECKPOINT_FORMAT}. */
  format: typeof CHECKPOINT_FORMAT;
  /** {@link CHECKPOINT_VERSION} when written. */
  version: number;
  /** The model's config: enough to build it again. */
  config: C;
  /** Whatever the writer measured (steps, test metrics, …). */
  metrics: Record<string, unknown>;
  /** TF.js weights manifest: one group, one file. */
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes `model` (and `metrics`) to the folder `dir`, atomically.
 *
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint, VQVAE } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * await Deno.mkdir(".cache/tmp", { recursive: true }); // any folder you can write to
 * const dir = await Deno.makeTempDir({ dir: ".cache/tmp" });
 * const model = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16 });
 * await saveCheckpoint(dir, model, { note: "untrained" }); // atomic: all or nothing
 * const { model: copy, manifest } = await loadCheckpoint(dir);
 * assertEquals([copy.config, manifest.metrics.note], [model.config, "untrained"]);
 * model.dispose();
 * copy.dispose();
 * ```
 */
export async function saveCheckpoint(
  dir: string,
  model: Checkpointable,
  metrics: Record<string, unknown> = {},
  /** Test hook: runs after the new files are written, before the commit (the rename). */
  { beforeCommit }: { beforeCommit?: () => void | Promise<void> } = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named = [...model.variables()].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const weightsFile = `weights-${(await sha256Hex(data)).slice(0, 16)}.bin`;
  await writeFile(`${dir}/${weightsFile}`, new Uint8Array(data));
  const manifest: CheckpointManifest<unknown> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: model.config,
    metrics,
    weightsManifest: [{ paths: [weightsFile], weights: specs as WeightSpec[] }],
  };
  const tmp = `${dir}/checkpoint.json.tmp-${crypto.randomUUID()}`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await beforeCommit?.();
  await rename(tmp, `${dir}/checkpoint.json`);
  // Only now is the previous weights file unreferenced.
  for (const f of await readdir(dir)) {
    if (/^weights-[0-9a-f]+\.bin$/.test(f) && f !== weightsFile) await rm(`${dir}/${f}`);
  }
}

/**
 * The checkpoints shipped in `data/`, by name: a name can stand for the folder wherever a
 * checkpoint folder is asked for (`loadCheckpoint("fashion-mnist-vqvae-multiscale")`), from any
 * working directory, as datasets find their own files.
 */
export const SHIPPED_CHECKPOINTS: Readonly<Record<string, string>> = {
  /** The multi-scale VQ-VAE (scales 1, 2, 3, 4, 5, 7) the notebooks and the page use. */
  "fashion-mnist-vqvae-multiscale": "tokenizer/fashion-mnist-vqvae-multiscale",
  /** The single-scale VQ-VAE (7 × 7 tokens) of the raster-order baseline. */
  "fashion-mnist-vqvae-single": "tokenizer/fashion-mnist-vqvae-single",
  /** The tiny VAR trained on the multi-scale tokenizer's tokens. */
  "fashion-mnist-var": "var/fashion-mnist-var/var",
  /** The classifier that judges generated samples. */
  "fashion-mnist-classifier": "var/fashion-mnist-var/classifier",
  /** The next-scale generator of `var:compare`'s comparison (its report.json says how it trained). */
  "fashion-mnist-var-next-scale": "var/compare/next-scale/var",
  /** The raster-order generator of `var:compare`'s comparison (its report.json says how it trained). */
  "fashion-mnist-var-raster": "var/compare/raster/var",
};

/** The folder of a checkpoint given by folder (path or URL) or by shipped name. */
export function checkpointDir(dirOrName: string): string {
  const shipped = Object.hasOwn(SHIPPED_CHECKPOINTS, dirOrName)
    ? SHIPPED_CHECKPOINTS[dirOrName]
    : undefined;
  return shipped ? shippedPath(shipped) : dirOrName;
}

/**
 * Reads a checkpoint's manifest (folder, or shipped name: {@link SHIPPED_CHECKPOINTS}), with
 * clear errors for a missing or foreign folder.
 */
export async function readCheckpointManifest<C = VQVAEConfig>(
  dirOrName: string,
): Promise<CheckpointManifest<C>> {
  const dir = checkpointDir(dirOrName);
  let text: string;
  try {
    text = await readText(`${dir}/checkpoint.json`);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      throw new InputError(`${dir}: no checkpoint.json (not a vqvar checkpoint folder)`);
    }
    throw err;
  }
  let m: CheckpointManifest<C>;
  try {
    m = JSON.parse(text);
  } catch {
    throw new InputError(`${dir}/checkpoint.json is not valid JSON (corrupt checkpoint)`);
  }
  if (m?.format !== CHECKPOINT_FORMAT || m.version !== CHECKPOINT_VERSION) {
    throw new InputError(
      `${dir}: format ${m?.format} v${m?.version}, expected ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION}`,
    );
  }
  const group = Array.isArray(m.weightsManifest) ? m.weightsManifest[0] : undefined;
  const whole = isObject(m.config) && isObject(m.metrics) &&
    typeof group?.paths?.[0] === "string" &&
    Array.isArray(group.weights) &&
    group.weights.every((w) =>
      typeof w?.name === "string" && Array.isArray(w.shape) &&
      (w.dtype === "float32" || w.dtype === "int32") // 4 bytes each, as readWeightsFile counts
    );
  if (!whole) {
    throw new InputError(
      `${dir}/checkpoint.json needs a config, metrics and a weights manifest of float32 or int32 ` +
        "weights (corrupt checkpoint)",
    );
  }
  return m;
}

/** Whether `x` is an object (not null). */
function isObject(x: unknown): boolean {
  return typeof x === "object" && x !== null;
}

/** The bytes of the checkpoint's weights file, which must hold what `group` lists. */
async function readWeightsFile(
  dir: string,
  group: CheckpointManifest["weightsManifest"][number],
): Promise<ArrayBuffer> {
  const path = `${dir}/${group.paths[0]}`;
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(path);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      throw new InputError(`${path}: file not found (the weights checkpoint.json names)`);
    }
    throw err;
  }
  const expected = group.weights.reduce(
    (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4,
    0,
  );
  if (bytes.byteLength !== expected) {
    throw new InputError(
      `${path}: ${bytes.byteLength} bytes, the manifest needs ${expected} (truncated?)`,
    );
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Loads the checkpoint's weights (folder or shipped name) into `model`; its variables must
 * match by name and shape.
 */
export async function loadWeightsInto<C>(
  dirOrName: string,
  model: Checkpointable<C>,
): Promise<CheckpointManifest<C>> {
  const dir = checkpointDir(dirOrName);
  const m = await readCheckpointManifest<C>(dir);
  const group = m.weightsManifest[0];
  const weights = tf.io.decodeWeights(
    await readWeightsFile(dir, group),
    group.weights as tf.io.WeightsManifestEntry[],
  );
  try {
    const vars = model.variables();
    // A training checkpoint also holds the run's state (optimizer moments, …) under
    // `training/`: a model alone ignores it.
    const wantsTraining = [...vars.keys()].some((k) => k.startsWith(TRAINING_PREFIX));
    const missing = [...vars.keys()].filter((k) => !(k in weights));
    const extra = Object.keys(weights).filter((k) =>
      !vars.has(k) && (wantsTraining || !k.startsWith(TRAINING_PREFIX))
    );
    if (missing.length || extra.length) {
      throw new InputError(
        `checkpoint ${dir} does not match the model: missing [${missing.join(", ")}], ` +
          `unexpected [${extra.join(", ")}]`,
      );
    }
    for (const [name, v] of vars) {
      const w = weights[name];
      if (w.shape.join() !== v.shape.join()) {
        throw new InputError(
          `checkpoint ${dir} does not match the model: ${name} is [${w.shape}], the model has [${v.shape}]`,
        );
      }
      if (w.dtype !== v.dtype) {
        throw new InputError(
          `checkpoint ${dir} does not match the model: ${name} is ${w.dtype}, the model's ${v.dtype}`,
        );
      }
    }
    for (const [name, v] of vars) v.assign(weights[name]);
  } finally {
    tf.dispose(Object.values(weights));
  }
  return m;
}

/**
 * A fresh model built from a checkpoint's config, with its weights: a VQ model (`VQVAE`,
 * `SimpleVQVAE`) by default, or whatever `build` makes from the config (`VAR`, `Classifier`).
 * `dir` is a checkpoint folder (a path or an `http(s):` URL) or the name of a shipped one
 * ({@link SHIPPED_CHECKPOINTS}).
 *
 * @example
 * ```ts
 * import { Classifier, type ClassifierConfig, loadCheckpoint, VAR, type VARConfig } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const { model: tokenizer } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
 * const { model: generator } = await loadCheckpoint(
 *   "fashion-mnist-var",
 *   (c: VARConfig) => new VAR(c),
 * );
 * const { model: judge } = await loadCheckpoint(
 *   "fashion-mnist-classifier",
 *   (c: ClassifierConfig) => new Classifier(c),
 * );
 * assertEquals(tokenizer.tokensPerImage, 104);
 * assertEquals(generator.config.vocabSize, tokenizer.config.vocabSize);
 * tokenizer.dispose();
 * generator.dispose();
 * judge.dispose();
 * ```
 */
export function loadCheckpoint(
  dir: string,
): Promise<{ model: VQModel; manifest: CheckpointManifest<VQVAEConfig> }>;
/** The model `build` makes from the checkpoint's config, with its weights. */
export function loadCheckpoint<C, M extends Checkpointable<C> & { dispose(): void }>(
  dir: string,
  build: (config: C) => M,
): Promise<{ model: M; manifest: CheckpointManifest<C> }>;
export async function loadCheckpoint(
  dir: string,
  build: (config: never) => Checkpointable & { dispose(): void } = createModel,
): Promise<{ model: Checkpointable & { dispose(): void }; manifest: CheckpointManifest<unknown> }> {
  dir = checkpointDir(dir);
  const manifest = await readCheckpointManifest<never>(dir);
  const model = build(manifest.config);
  try {
    await loadWeightsInto(dir, model);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, manifest };
}
