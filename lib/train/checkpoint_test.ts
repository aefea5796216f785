import { makeTempDir } from "../../testing/temp_dir.ts";
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import {
  type CheckpointManifest,
  loadCheckpoint,
  loadWeightsInto,
  saveCheckpoint,
} from "./checkpoint.ts";
import { VQVAE } from "../models/vqvae.ts";

const small = { channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [1, 3, 7] };

async function outputs(m: VQVAE, x: tf.Tensor4D): Promise<Float32Array> {
  const y = m.reconstruct(x);
  const v = (await y.data()) as Float32Array;
  y.dispose();
  return v;
}

Deno.test("a checkpoint reloads into a fresh model with identical outputs", async () => {
  const dir = await makeTempDir();
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 1) as tf.Tensor4D;
  const a = new VQVAE({ ...small, seed: 1 });
  try {
    await saveCheckpoint(dir, a, { note: "test" });
    const { model: b, manifest } = await loadCheckpoint(dir);
    assertEquals(manifest.metrics, { note: "test" });
    assertEquals(manifest.config, a.config);
    assertEquals(await outputs(b as VQVAE, x), await outputs(a, x));
    b.dispose();
  } finally {
    a.dispose();
    x.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an interrupted save leaves the previous checkpoint intact", async () => {
  const dir = await makeTempDir();
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 2) as tf.Tensor4D;
  const a = new VQVAE({ ...small, seed: 1 });
  const b = new VQVAE({ ...small, seed: 2 });
  try {
    await saveCheckpoint(dir, a);
    await assertRejects(
      () =>
        saveCheckpoint(dir, b, {}, {
          beforeCommit: () => {
            throw new Error("power cut");
          },
        }),
      Error,
      "power cut",
    );
    const { model } = await loadCheckpoint(dir);
    assertEquals(await outputs(model as VQVAE, x), await outputs(a, x));
    model.dispose();
    // A later save succeeds and cleans up the orphaned weights file.
    await saveCheckpoint(dir, b);
    const bins = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".bin"));
    assertEquals(bins.length, 1);
  } finally {
    a.dispose();
    b.dispose();
    x.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

async function readManifest(dir: string): Promise<CheckpointManifest> {
  return JSON.parse(await Deno.readTextFile(`${dir}/checkpoint.json`));
}

Deno.test("mismatched, missing and corrupt checkpoints are clear errors", async () => {
  const dir = await makeTempDir();
  const a = new VQVAE({ ...small });
  const other = new VQVAE({ ...small, vocabSize: 32 });
  try {
    await saveCheckpoint(dir, a);
    await assertRejects(() => loadWeightsInto(dir, other), Error, "quantizer.codebook is [16,4]");
    await assertRejects(() => loadCheckpoint(`${dir}/nope`), Error, "no checkpoint.json");
    // Without its weights file, a config or a manifest, or with another dtype: InputErrors too.
    const manifest: Partial<CheckpointManifest> = await readManifest(dir);
    const rewrite = (edit: (m: Partial<CheckpointManifest>) => void) => {
      const m = structuredClone(manifest);
      edit(m);
      return Deno.writeTextFile(`${dir}/checkpoint.json`, JSON.stringify(m));
    };
    await rewrite((m) => (m.weightsManifest![0].paths = ["weights-gone.bin"]));
    await assertRejects(() => loadCheckpoint(dir), InputError, "weights-gone.bin: file not found");
    for (const key of ["weightsManifest", "config", "metrics"] as const) {
      await rewrite((m) => delete m[key]);
      await assertRejects(() => loadCheckpoint(dir), InputError, "needs a config, metrics and a");
    }
    await rewrite((m) => (m.weightsManifest![0].weights[0].dtype = "int32"));
    await assertRejects(() => loadCheckpoint(dir), InputError, "is int32, the model's float32");
    await rewrite(() => {});
    const bin = [...Deno.readDirSync(dir)].find((e) => e.name.endsWith(".bin"))!.name;
    const bytes = await Deno.readFile(`${dir}/${bin}`);
    await Deno.writeFile(`${dir}/${bin}`, bytes.subarray(0, 100));
    await assertRejects(() => loadCheckpoint(dir), Error, "truncated");
    await Deno.writeTextFile(`${dir}/checkpoint.json`, "{ not json");
    await assertRejects(() => loadCheckpoint(dir), Error, "not valid JSON");
  } finally {
    a.dispose();
    other.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the shipped Fashion-MNIST tokenizer loads and reconstructs the test set", async () => {
  const { loadFashionMnist } = await import("../data/datasets.ts");
  const { evaluate } = await import("./metrics.ts");
  const dir = new URL("../../data/tokenizer/fashion-mnist-vqvae-multiscale", import.meta.url)
    .pathname;
  const { model, manifest } = await loadCheckpoint(dir);
  const m = evaluate(model, await loadFashionMnist("test"), { limit: 2000 });
  // Measured on all 10k images when it was trained: 22.69 dB.
  assertEquals(m.psnr > 22.3, true, `PSNR ${m.psnr.toFixed(2)} dB`);
  assertEquals(manifest.config.patchNums, [1, 2, 3, 4, 5, 7]);
  model.dispose();
});
