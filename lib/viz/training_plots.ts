/**
 * Pictures of a VQ model's training: the metric curves (live while `train` runs) and
 * original-versus-reconstruction grids.
 */
import { tf } from "../core/backend.ts";
import type { ImageDataset } from "../data/datasets.ts";
import { type Figure, imageGrid, lineChart, LiveFigure, subplots } from "./plot.ts";
import type { MetricsRecord } from "../train/train.ts";
import type { VQModel } from "../models/vqvae.ts";

/**
 * Four panels from a training history: training loss (and its reconstruction part), test
 * PSNR, codebook perplexity, and codebook usage (all scales, and each scale when there are
 * several).
 */
export function trainingFigure(history: readonly MetricsRecord[], title?: string): Figure {
  const x = history.map((h) => h.step);
  const tested = history.filter((h) => h.test);
  const xt = tested.map((h) => h.step);
  const scales = tested[0]?.test?.usagePerScale.length ?? 0;
  const usage = [{
    name: scales > 1 ? "all scales" : "usage",
    x: xt,
    y: tested.map((h) => 100 * h.test!.usage),
  }];
  if (scales > 1) {
    for (let s = 0; s < scales; s++) {
      usage.push({
        name: `scale ${s + 1}`,
        x: xt,
        y: tested.map((h) => 100 * h.test!.usagePerScale[s]),
      });
    }
  }
  const fig = subplots([
    lineChart([
      { name: "loss", x, y: history.map((h) => h.loss) },
      { name: "reconstruction", x, y: history.map((h) => h.reconstruction), dash: "dot" },
    ], { title: "training loss: total, reconstruction (dotted)", logY: true }),
    lineChart([{
      name: "test PSNR",
      x: xt,
      y: tested.map((h) => h.test!.psnr),
      mode: "lines+markers",
    }], {
      title: "test PSNR (dB)",
    }),
    lineChart([{ name: "perplexity", x: xt, y: tested.map((h) => h.test!.perplexity) }], {
      title: "codebook perplexity",
    }),
    lineChart(usage.map((u, i) => ({ ...u, dash: i === 0 ? undefined : "dot" as const })), {
      title: "codebook usage (%)",
    }),
  ], { cols: 4, height: 340, title });
  // A legend for the usage panel's lines (the other panels name theirs in their titles).
  fig.layout = { ...fig.layout, showlegend: true, legend: { orientation: "h", y: -0.15 } };
  const firstUsage = fig.data.length - usage.length;
  fig.data.forEach((t, i) => t.showlegend = i >= firstUsage);
  return fig;
}

/**
 * Live training curves: pass `live.onMetrics` to `train` and they redraw in place as metrics
 * arrive; `await live.close()` draws the final state.
 */
export class LiveTrainingCurves {
  /** Every record received so far. */
  readonly history: MetricsRecord[] = [];
  private readonly figure: LiveFigure;
  private started = false;

  /** Curves titled `title`, redrawn at most every `minIntervalMs`. */
  constructor(readonly title?: string, minIntervalMs = 1000) {
    this.figure = new LiveFigure(trainingFigure([], title), minIntervalMs);
  }

  /** The callback for `train({ onMetrics })`. */
  readonly onMetrics = async (m: MetricsRecord): Promise<void> => {
    const last = this.history[this.history.length - 1];
    // train() may redo the last record on the whole test set: replace it.
    if (last?.step === m.step) this.history.pop();
    this.history.push(m);
    if (!this.started) {
      this.started = true;
      await this.figure.show();
    }
    await this.figure.update(trainingFigure(this.history, this.title));
  };

  /** Draws the last state. */
  async close(): Promise<void> {
    await this.figure.close();
  }
}

/**
 * Originals (top row of each pair) above their reconstructions, for the images at `indices`
 * of `data` (pixels in [0, 1]).
 */
export function reconstructionFigure(
  model: VQModel,
  data: ImageDataset,
  indices: number[],
  o: { title?: string; cols?: number } = {},
): Figure {
  const cols = o.cols ?? Math.min(10, indices.length);
  const xBhwc = data.images(indices, "01");
  const grid = tf.tidy(() => {
    const xHat = model.reconstruct(xBhwc).clipByValue(0, 1);
    // Interleave rows: cols originals, then their cols reconstructions, and so on.
    const parts: tf.Tensor4D[] = [];
    for (let start = 0; start < indices.length; start += cols) {
      const n = Math.min(cols, indices.length - start);
      parts.push(xBhwc.slice([start], [n]), xHat.slice([start], [n]) as tf.Tensor4D);
    }
    return tf.concat(parts) as tf.Tensor4D;
  });
  const names: string[] = [];
  for (let start = 0; start < indices.length; start += cols) {
    const slice = indices.slice(start, start + cols);
    names.push(...slice.map((k) => data.classNames[data.labels[k]] ?? ""));
    names.push(...slice.map(() => ""));
  }
  const fig = imageGrid(grid, { cols, title: o.title, labels: names });
  tf.dispose([grid, xBhwc]);
  return fig;
}
