/**
 * Reading a `deno task var` output folder for `deno task var:compare`: its report, which
 * tokenizer its generator reads (recorded since the comparison began; for older runs, the
 * `--tokenizer` of the command it records, else that command's default, the shipped multi-scale
 * tokenizer, if the generator fits it) and so its token order, and the copies saved along it.
 */
import { InputError } from "../../lib/core/errors.ts";
import type { VARConfig } from "../../lib/models/var.ts";
import type { VQModel, VQVAEConfig } from "../../lib/models/vqvae.ts";
import { asMultiScale } from "../../lib/quant/multiscale.ts";
import { RasterOrder } from "../../lib/quant/raster_order.ts";
import { MultiScaleRasterOrder } from "../../lib/quant/scale_raster_order.ts";
import type { TokenOrder } from "../../lib/quant/token_order.ts";
import { readCheckpointManifest } from "../../lib/train/checkpoint.ts";
import { type Spread, spread } from "../../lib/train/sampling_speed.ts";
import { readSnapshots, type Snapshot } from "../../lib/train/snapshots.ts";

/** The order a generator predicts tokens in: a step per scale, or a token per step. */
export type OrderName = "next-scale" | "raster";

/**
 * The order a generator on `tokenizer` samples in: next-scale on a multi-scale quantizer, raster
 * order (a token a step) on a single-scale one; `order: "raster"` on a multi-scale quantizer is
 * raster order over all of its scales' tokens.
 */
export function tokenOrderOf(tokenizer: VQModel, order?: OrderName): TokenOrder {
  if (tokenizer.config.quantizer === "single") {
    if (order === "next-scale") {
      throw new InputError(
        "--order next-scale needs a multi-scale tokenizer; this one is single-scale",
      );
    }
    return new RasterOrder(tokenizer.quantizer, tokenizer.latentSize);
  }
  const q = asMultiScale(tokenizer.quantizer);
  return order === "raster" ? new MultiScaleRasterOrder(q) : q;
}

/** `deno task var`'s default tokenizer, from before runs recorded theirs. */
export const DEFAULT_VAR_TOKENIZER = "data/tokenizer/fashion-mnist-vqvae-multiscale";

/** A generator run, ready to measure. */
export interface VarRun {
  /** Its folder. */
  dir: string;
  /** Its tokenizer's checkpoint folder. */
  tokenizer: string;
  /** How that was found. */
  tokenizerFrom: "report" | "command" | "default";
  /** The token order: next-scale or raster (a token a step). */
  order: OrderName;
  /** Its tokenizer's kind: raster order runs on either. */
  tokens: "multi-scale" | "single-scale";
  /** Its model's seed. */
  seed: number;
  /** Steps and seconds of training of the final model. */
  steps: number;
  seconds: number;
  /** Test cross-entropy of the final model (nats per token). */
  testLoss: number;
  /** The generator's config. */
  config: VARConfig;
  /** Its trainable numbers (0 where the report does not say). */
  parameters: number;
  /** Training sequences per second over the run's metrics windows (a slowed window shows here). */
  sequencesPerSecond: Spread;
  /** The command line that made it (its report's), if recorded. */
  command?: string;
  /** Sequences per step, if its report records it (older ones: see `command`). */
  batch?: number;
  /** Copies saved along the run (`--snapshot-minutes`, `--snapshot-steps`), in step order. */
  snapshots: Snapshot[];
}

/** Reads the run in `dir`; an `InputError` naming the folder and what it lacks otherwise. */
export async function readVarRun(dir: string): Promise<VarRun> {
  const text = await Deno.readTextFile(`${dir}/report.json`).catch(() => {
    throw new InputError(`${dir}: no report.json (not a deno task var output folder)`);
  });
  const report = JSON.parse(text);
  const config = (await readCheckpointManifest<VARConfig>(`${dir}/var`).catch(() => {
    throw new InputError(`${dir}: no var/checkpoint.json (not a deno task var output folder)`);
  })).config;
  const named = /--tokenizer\s+(\S+)/.exec(report.command ?? "")?.[1];
  const tokenizer: string = report.tokenizer ?? named ?? DEFAULT_VAR_TOKENIZER;
  const tokenizerFrom = report.tokenizer ? "report" : named ? "command" : "default";
  const tokConfig = (await readCheckpointManifest<Partial<VQVAEConfig>>(tokenizer).catch(() => {
    throw new InputError(
      `${dir}: its tokenizer ${tokenizer} (${
        tokenizerFrom === "report"
          ? "in its report"
          : `not recorded; ${
            tokenizerFrom === "command" ? "its command's --tokenizer" : "deno task var's default"
          }`
      }) has no checkpoint.json`,
    );
  })).config;
  const { single, raster } = checkFits(dir, config, tokenizer, tokConfig, tokenizerFrom);
  for (const key of ["steps", "seconds", "testLoss"]) {
    if (typeof report[key] !== "number") {
      throw new InputError(`${dir}: its report.json has no ${key} (an unfinished run?)`);
    }
  }
  return {
    dir,
    tokenizer,
    tokenizerFrom,
    order: raster ? "raster" : "next-scale",
    tokens: single ? "single-scale" : "multi-scale",
    seed: config.seed,
    steps: report.steps,
    seconds: report.seconds,
    testLoss: report.testLoss,
    config,
    parameters: report.parameters ?? 0,
    command: report.command,
    batch: report.batch,
    sequencesPerSecond: spread(
      (report.history ?? []).map((h: { samplesPerSecond: number }) => h.samplesPerSecond),
    ),
    snapshots: await readSnapshots(`${dir}/snapshots`),
  };
}

/** The run's order and tokenizer kind; an `InputError` unless its generator fits the tokenizer. */
function checkFits(
  dir: string,
  config: VARConfig,
  tokenizer: string,
  tokConfig: Partial<VQVAEConfig>,
  tokenizerFrom: VarRun["tokenizerFrom"],
): { single: boolean; raster: boolean } {
  const single = tokConfig.quantizer === "single";
  const raster = config.patchNums.every((pn) => pn === 1) && config.patchNums.length > 1;
  const tokensPerImage = single
    ? (tokConfig.imageSize! / 2 ** tokConfig.downsample!) ** 2
    : tokConfig.patchNums!.reduce((n, pn) => n + pn * pn, 0);
  const fits = config.vocabSize === tokConfig.vocabSize &&
    config.cvae === tokConfig.latentChannels &&
    (raster
      ? config.patchNums.length === tokensPerImage
      : !single && config.patchNums.join() === tokConfig.patchNums?.join());
  if (!fits) {
    throw new InputError(
      `${dir}: its generator (V ${config.vocabSize}, Cvae ${config.cvae}, ${config.patchNums.length} steps) ` +
        `does not fit the tokenizer ${tokenizer} (${
          tokenizerFrom === "report" ? "in its report" : "its report records none"
        })`,
    );
  }
  return { single, raster };
}
