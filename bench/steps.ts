/**
 * deno task bench:steps — one training step, measured the bench's way and the training
 * command's way, on both sides, in turn in the same rounds:
 *
 * - bench step: bench/workloads.ts `train-vqvae-multiscale` (one fixed random batch of 128,
 *   FlatAdam / torch.optim.Adam), timed after `--warm-ms` of untimed steps, as `deno task bench`
 *   times it (bench/worker.ts, bench/reference/torch_worker.py);
 * - command: `deno task train --data fashion-mnist --model vqvae --quantizer multiscale --steps N`
 *   and `bench/reference/train_vqvae.py --steps N`: real batches drawn from the data, the
 *   learning-rate schedule, the quantizer's statistics and dead-code restarts, per-step loss
 *   read-back; ms per step = the seconds each reports for its training steps ÷ steps
 *   (evaluation not counted on either side).
 *
 * Prints per side the median over rounds (min–max) of each, and the command's ms ÷ the bench's,
 * and writes `--out` (default bench/steps.json).
 *
 * Options: --rounds 3  --steps 300 (command steps per round)  --reps 30 (bench steps per round)
 *          --warm-ms 1000  --gap-ms 500  --out bench/steps.json
 */
import { parseArgs } from "node:util";
import { findTorchPython, median, Worker } from "./workers.ts";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    steps: { type: "string", default: "300" },
    reps: { type: "string", default: "30" },
    "warm-ms": { type: "string", default: "1000" },
    "gap-ms": { type: "string", default: "500" },
    out: { type: "string", default: "bench/steps.json" },
  },
});
const root = new URL("..", import.meta.url).pathname;
const [rounds, steps, reps, warmMs, gapMs] = ["rounds", "steps", "reps", "warm-ms", "gap-ms"]
  .map((k) => Number(a[k as keyof typeof a]));
const say = (s: string) => console.error(`[bench:steps] ${s}`);
const settle = () => new Promise((r) => setTimeout(r, gapMs));
const WORKLOAD = "train-vqvae-multiscale";

/** Median ms of `reps` bench steps in a fresh worker, after `warmMs` of untimed steps. */
async function benchStep(cmd: string, args: string[]): Promise<number> {
  const w = await new Worker(cmd, args).start();
  await w.call({ cmd: "setup", name: WORKLOAD });
  const { ms } = await w.call({ cmd: "run", reps, warmMs });
  await w.call({ cmd: "dispose" });
  await w.close();
  return median(ms as number[]);
}

/** Runs a training command; returns its ms per training step from the report it writes. */
async function commandStep(cmd: string, args: string[], report: string): Promise<number> {
  const { code, stderr } = await new Deno.Command(cmd, {
    args,
    cwd: root,
    env: { TF_CPP_MIN_LOG_LEVEL: "3" },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  const r = JSON.parse(await Deno.readTextFile(report));
  return (r.seconds * 1000) / r.steps;
}

const tmp = await Deno.makeTempDir({ prefix: "vqvar-steps-" });
let runs = 0; // each training run writes its own folder
const py = await findTorchPython();
if (!py) say("no Python with torch: PyTorch's side is left out (pip install torch numpy)");
const sides: Record<string, Record<string, () => Promise<number>>> = {
  ours: {
    bench: () => benchStep(Deno.execPath(), ["run", "-A", `${root}bench/worker.ts`]),
    command: () =>
      commandStep(Deno.execPath(), [
        "run",
        "-A",
        `${root}scripts/cli/train.ts`,
        ...["--data", "fashion-mnist", "--model", "vqvae", "--quantizer", "multiscale"],
        ...["--steps", `${steps}`, "--seed", "0", "--out", `${tmp}/ours-${++runs}`],
      ], `${tmp}/ours-${runs}/report.json`),
  },
};
if (py) {
  sides.pytorch = {
    bench: () => benchStep(py, [`${root}bench/reference/torch_worker.py`]),
    command: () =>
      commandStep(py, [
        `${root}bench/reference/train_vqvae.py`,
        ...["--steps", `${steps}`, "--minutes", "60", "--seed", "0", "--out", `${tmp}/torch.json`],
      ], `${tmp}/torch.json`),
  };
}
const ms: Record<string, Record<string, number[]>> = {};
for (let round = 1; round <= rounds; round++) {
  for (const [side, ways] of Object.entries(sides)) {
    for (const [way, measure] of Object.entries(ways)) {
      await settle();
      const v = await measure();
      ((ms[side] ??= {})[way] ??= []).push(v);
      say(`round ${round}: ${side} ${way} ${v.toFixed(1)} ms per step`);
    }
  }
}
await Deno.remove(tmp, { recursive: true });

const spread = (xs: number[]) =>
  `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
const rows = Object.entries(ms).map(([side, { bench, command }]) => ({
  side,
  benchMs: median(bench),
  commandMs: median(command),
  commandOverBench: median(command.map((c, i) => c / bench[i])),
  bench,
  command,
}));
console.log("| side | bench step ms (min–max) | command ms per step (min–max) | command ÷ bench |");
console.log("|---|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.side} | ${spread(r.bench)} | ${spread(r.command)} | ${r.commandOverBench.toFixed(3)} |`,
  );
}
const meta = { date: new Date().toISOString(), rounds, steps, reps, warmMs, gapMs };
await Deno.writeTextFile(a.out!, JSON.stringify({ rows, meta }, null, 2) + "\n");
say(`wrote ${a.out}`);
