import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  type CompareReport,
  compareTable,
  equalSteps,
  type Point,
  type RunResult,
} from "./var_compare_report.ts";

const point = (step: number, fid: number): Point => ({
  step,
  minutes: step / 100,
  cfg: 1.5,
  fid,
  precision: 0.5,
  recall: 0.4,
  agreement: 0.9,
  samples: 10,
  samplesPerSecond: 100,
});
const run = (order: string, steps: number[]): RunResult => ({
  run: `out/${order}`,
  order,
  seed: 0,
  tokenizer: "tok",
  tokenizerFrom: "report",
  parameters: 1,
  steps: steps.at(-1)!,
  minutes: steps.at(-1)! / 100,
  testLoss: 3,
  sequencesPerSecond: { min: 1, median: 2, max: 3 },
  tokensPerImage: order === "raster" ? 49 : 104,
  guidance: [point(steps.at(-1)!, 1)],
  curve: steps.map((s) => point(s, 10 / s)),
  speed: [],
});

Deno.test("equalSteps pairs the two orders at the step counts both reached, in order", () => {
  const pairs = equalSteps([
    run("next-scale", [700, 1400, 2000]),
    run("raster", [500, 1400, 700, 4000]),
  ]);
  assertEquals(pairs.map((p) => [p.step, p["next-scale"].step, p.raster.step]), [[700, 700, 700], [
    1400,
    1400,
    1400,
  ]]);
});

Deno.test("compareTable has a row per guidance weight, curve point, equal step", () => {
  const results = [run("next-scale", [700, 1400]), run("raster", [700, 1400, 2800])];
  const report = {
    cpu: "CPU",
    cpuFlags: ["avx2"],
    cores: 2,
    backend: "tensorflow",
    command: "deno task var:compare",
    samples: 10,
    topP: 0.9,
    curveCfg: 1.5,
    fidFloor: 0.1,
    testImages: 10,
    orders: { "next-scale": { runs: [results[0]] }, raster: { runs: [results[1]] } },
    equalSteps: equalSteps(results),
  } as unknown as CompareReport;
  const table = compareTable(report);
  assertStringIncludes(
    table,
    "| raster | out/raster | 2800 | 28.0 | 0.00 | 0.500 | 0.400 | 90.0 % |",
  );
  assertStringIncludes(
    table,
    "| 1400 | 14.0 | 0.01 | 0.500 / 0.400 | 14.0 | 0.01 | 0.500 / 0.400 |",
  );
  assertEquals(table.split("\n").filter((l) => l.startsWith("| next-scale")).length, 1 + 2);
});
