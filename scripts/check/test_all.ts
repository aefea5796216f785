/**
 * `./vqvar test`: every check of the project as `deno task`s, in waves. The stages of a wave run
 * side by side (each line of their output prefixed by the stage's name), a wave starts when the
 * one before has passed, and the first failure stops the run. The time of each stage and a
 * summary are printed at the end, also after a failure.
 *
 * On 2 cores the run is bound by CPU (vmstat: 2–5 % idle through the first two waves), so the
 * waves are arranged to leave no core idle and to put nothing beside a check that measures time:
 * 1. the live JupyterLab check (every notebook once per kernel, two runs at a time), with the
 *    static checks beside it;
 * 2. lib's unit tests with every @example and the scripts' tests (`test:unit`: `test:lib+doc` then
 *    `test:scripts`; as two stages side by side they made this wave 202–210 s in two clean-clone
 *    runs, against 175 s as one), the browser check
 *    of the exported pages, the kernels' comparison, and the web page's WebGL pass
 *    (`web:check:webgl`, `--quick`: its model checks, no time bound);
 * 3. the web page's first pass with the UX checks (`web:check:wasm`), alone: it asserts that no
 *    task blocks the page's main thread for a second, a bound about the page, not about a
 *    machine running other stages (beside the browser check and lib's @examples it failed at
 *    1243 ms in a clean-clone run, 2026-12-01, where it had passed at 311 ms). The main thread's
 *    work is the same on both backends, so the bound is asserted in this pass only.
 * `deno task web:check` runs both of the page's passes, one after the other.
 *
 * Every stage runs TensorFlow with one thread per pool (`TF_NUM_INTRAOP_THREADS=1`,
 * `TF_NUM_INTEROP_THREADS=1`, unless set): the stages and their test files already fill the
 * cores side by side, and each process's own pools of two threads on top of that oversubscribed
 * them (lib's tests alone, 2 cores: 45–48 s single-threaded against 47–53 s, README).
 *
 * Usage: deno run -A scripts/check/test_all.ts [--quick]
 *   --quick  the inner loop: static checks and lib's unit tests, side by side (about a minute)
 */
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: { quick: { type: "boolean", default: false } },
});

/** Waves of stages; a stage is a `deno task`, named by it in the output. */
const FULL: string[][] = [
  ["lab:check", "check"],
  ["test:unit", "browser", "kernels", "web:check:webgl"],
  ["web:check:wasm"],
];
const QUICK: string[][] = [["check", "test:lib"]];

/** Copies a stream to stderr line by line, each line prefixed. */
async function prefixed(stream: ReadableStream<Uint8Array>, prefix: string) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let rest = "";
  for await (const bytes of stream) {
    const lines = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = lines.pop()!;
    for (const line of lines) await Deno.stderr.write(encoder.encode(`${prefix}${line}\n`));
  }
  if (rest) await Deno.stderr.write(encoder.encode(`${prefix}${rest}\n`));
}

/** Runs one stage; alone in its wave its output is passed through, else prefixed. */
async function runStage(stage: string, alone: boolean, width: number) {
  const start = performance.now();
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["task", stage],
    stdout: alone ? "inherit" : "piped",
    stderr: alone ? "inherit" : "piped",
    env: {
      TF_NUM_INTRAOP_THREADS: Deno.env.get("TF_NUM_INTRAOP_THREADS") ?? "1",
      TF_NUM_INTEROP_THREADS: Deno.env.get("TF_NUM_INTEROP_THREADS") ?? "1",
      ...(alone ? {} : { NO_COLOR: "1" }), // colour codes in the middle of prefixed lines
    },
  });
  let success: boolean;
  if (alone) {
    success = (await cmd.output()).success;
  } else {
    const child = cmd.spawn();
    const prefix = `${stage.padEnd(width)} │ `;
    await Promise.all([prefixed(child.stdout, prefix), prefixed(child.stderr, prefix)]);
    success = (await child.status).success;
  }
  return { stage, seconds: (performance.now() - start) / 1000, success };
}

const plan = opts.quick ? QUICK : FULL;
const width = Math.max(...plan.flat().map((s) => s.length));
const done: { stage: string; seconds: number; success: boolean }[] = [];
const t0 = performance.now();
let failed = false;
for (const wave of plan) {
  console.error(`[test] ${wave.join(" + ")} …`);
  const results = await Promise.all(wave.map((s) => runStage(s, wave.length === 1, width)));
  done.push(...results);
  if (results.some((r) => !r.success)) {
    failed = true;
    break;
  }
}
const total = (performance.now() - t0) / 1000;
const cpu = (() => {
  try {
    return Deno.readTextFileSync("/proc/cpuinfo").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "?";
  } catch {
    return "?";
  }
})();
console.error(
  `[test] ${failed ? "FAILED" : "passed"} in ${
    total.toFixed(0)
  } s on ${navigator.hardwareConcurrency} × ${cpu} (stages of a wave ran side by side):`,
);
for (const { stage, seconds, success } of done) {
  console.error(
    `[test]   ${stage.padEnd(16)} ${seconds.toFixed(0).padStart(5)} s${success ? "" : "  FAILED"}`,
  );
}
Deno.exit(failed ? 1 : 0);
