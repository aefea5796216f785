import { assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { DummyDataset } from "../data/datasets.ts";
import type { MetricsRecord } from "../train/train.ts";
import { LiveTrainingCurves, reconstructionFigure, trainingFigure } from "./training_plots.ts";
import { VQVAE } from "../models/vqvae.ts";

const rec = (step: number, psnr: number): MetricsRecord => ({
  step,
  seconds: step / 10,
  lr: 1e-3,
  loss: 1 / step,
  reconstruction: 0.5 / step,
  vq: 0.5 / step,
  imagesPerSecond: 1000,
  restarted: 0,
  test: { mse: 0.01, psnr, perplexity: 40, usage: 0.9, usagePerScale: [0.1, 0.5, 0.9], images: 10 },
});

Deno.test("trainingFigure: four panels, usage per scale when there are several", () => {
  const fig = trainingFigure([rec(10, 15), rec(20, 18)], "run");
  // loss + reconstruction, PSNR, perplexity, usage (all + 3 scales)
  assertEquals(fig.data.length, 2 + 1 + 1 + 4);
  assertEquals(fig.data[2].y, [15, 18]);
  assertEquals(fig.data.at(-1)!.y, [90, 90]);
});

Deno.test("LiveTrainingCurves replaces a redone record instead of duplicating it", async () => {
  const live = new LiveTrainingCurves("t", 0);
  const log = console.log;
  console.log = () => {};
  try {
    await live.onMetrics(rec(10, 15));
    await live.onMetrics(rec(20, 18));
    await live.onMetrics(rec(20, 19));
    await live.close();
  } finally {
    console.log = log;
  }
  assertEquals(live.history.map((h) => h.test!.psnr), [15, 19]);
});

Deno.test("reconstructionFigure: originals above reconstructions, no leaks", () => {
  const model = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, resBlocks: 1 });
  const data = new DummyDataset({ length: 8 });
  reconstructionFigure(model, data, [0]); // first use caches resize matrices
  const before = tf.memory().numTensors;
  const fig = reconstructionFigure(model, data, [0, 1, 2, 3, 4, 5], { cols: 3 });
  assertEquals(tf.memory().numTensors, before);
  // 6 originals + 6 reconstructions in 4 rows of 3.
  const labels = (fig.layout!.annotations as { text: string }[]).map((a) => a.text);
  assertEquals(labels.length, 12);
  assertEquals(labels.slice(3, 6), ["", "", ""]);
  assertEquals(fig.data[0].type, "image");
  model.dispose();
});
