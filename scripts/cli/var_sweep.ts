/**
 * `deno task var:sweep --sweep FILE`: trains every run a sweep file describes (its
 * configurations at each seed, `deno task var` with a step budget), one at a time: a finished
 * run is skipped, a begun one (killed, or stopped by Ctrl-C) resumes from its checkpoint. Shows
 * each run's progress and the time the sweep has left; then, when every run is there, hands
 * them to `deno task var:compare --sweep` for the report. `--shard I/N` trains every N-th run
 * only, so that machines can share a sweep; the report merges run folders made anywhere
 * (`var:compare --run-dirs`).
 */
import { InputError } from "../../lib/core/errors.ts";
import type { CommandSpec } from "./options.ts";
import { EXIT_INTERRUPTED, runCommand } from "./run.ts";
import { parseShard, type PlannedRun, planRuns, readSweep, runState, type Sweep } from "./study.ts";

const spec: CommandSpec = {
  usage: "deno task var:sweep",
  summary: "Trains the runs of a sweep file (configurations × seeds, a step budget each) one " +
    "at a time, resumably (finished runs skipped, begun ones resumed), with progress and time " +
    "left; then measures them all with deno task var:compare --sweep (report.json, table.md).",
  options: [
    { name: "sweep", kind: "text", placeholder: "FILE", help: "the sweep file (JSON)" },
    {
      name: "shard",
      kind: "text",
      placeholder: "I/N",
      default: "1/1",
      help: "train only runs I, I+N, I+2N, … of the plan (machines share a sweep)",
    },
    {
      name: "report",
      kind: "text",
      placeholder: "DIR",
      default: "out/study",
      help: "where var:compare writes the report once every run is there",
    },
    { name: "no-report", kind: "flag", help: "train only; do not measure" },
  ],
  examples: [
    ["deno task var:sweep --sweep data/var/study/sweep.json", "the study of notebook 07"],
    [
      "deno task var:sweep --sweep data/var/study/sweep.json --shard 1/2 --no-report",
      "half of it on this machine (the other: --shard 2/2)",
    ],
  ],
};

await runCommand(spec, "var:sweep", async ({ options: o, say, signal }) => {
  if (!o.has("sweep")) throw new InputError("--sweep needs a sweep file (see data/var/study)");
  const file = o.text("sweep");
  const sweep = await readSweep(file);
  const plan = planRuns(sweep, parseShard(o.text("shard")));
  const states = await Promise.all(plan.map((r) => runState(r.dir)));
  const todo = plan.filter((_, i) => states[i] !== "finished");
  say(
    `${plan.length} runs in this shard: ${plan.length - todo.length} finished, ` +
      `${states.filter((s) => s === "begun").length} to resume, ` +
      `${states.filter((s) => s === "new").length} to begin (${sweep.steps} steps each)`,
  );
  const seconds: Record<string, number[]> = {};
  for (const [k, run] of todo.entries()) {
    if (signal.aborted) break;
    say(
      `run ${k + 1} of ${todo.length}: ${run.config.name} seed ${run.seed}${
        left(todo.slice(k), seconds)
      }`,
    );
    const t0 = performance.now();
    const code = await train(sweep, run, await runState(run.dir) === "begun");
    if (code === EXIT_INTERRUPTED || signal.aborted) {
      say(`interrupted: ${run.dir} is saved; the same command goes on from there`);
      return EXIT_INTERRUPTED;
    }
    if (code !== 0) throw new Error(`deno task var exited with ${code} on ${run.dir}`);
    (seconds[run.config.name] ??= []).push((performance.now() - t0) / 1000);
  }
  const missing = [];
  for (const r of planRuns(sweep)) if (await runState(r.dir) !== "finished") missing.push(r.dir);
  if (o.flag("no-report")) return 0;
  if (missing.length > 0) {
    say(`no report yet: ${missing.length} runs are not here (${missing.slice(0, 3).join(", ")}…)`);
    return 0;
  }
  say(`every run is here: deno task var:compare --sweep ${file} --out ${o.text("report")}`);
  return await deno([
    "run",
    "-A",
    "scripts/cli/var_compare.ts",
    "--sweep",
    file,
    "--out",
    o.text("report"),
  ]);
});

/** ` (about H:MM left)` from the runs timed so far (per configuration, else overall). */
function left(remaining: PlannedRun[], seconds: Record<string, number[]>): string {
  const all = Object.values(seconds).flat();
  if (all.length === 0) return "";
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const total = remaining.reduce(
    (t, r) => t + mean(seconds[r.config.name] ?? all),
    0,
  );
  const m = Math.round(total / 60);
  return ` (about ${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")} left)`;
}

/** One run of `deno task var`, new or resumed, its output passed through. */
function train(sweep: Sweep, run: PlannedRun, resume: boolean): Promise<number> {
  const budget = ["--steps", String(sweep.steps), "--seed", String(run.seed)];
  const where = resume ? ["--resume", run.dir] : ["--out", run.dir];
  return deno([
    "run",
    "-A",
    "scripts/cli/var.ts",
    ...where,
    ...budget,
    ...sweep.args,
    ...run.config.args,
  ]);
}

/**
 * Runs Deno with `args`, output inherited; its exit code. The child has a session of its own
 * and gets each Ctrl-C from here, once (a terminal would send it one too, and a second Ctrl-C
 * makes `deno task var` quit without saving).
 */
async function deno(args: string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "inherit",
    stderr: "inherit",
    detached: true,
  }).spawn();
  let done = false;
  const forward = () => done || child.kill("SIGINT");
  Deno.addSignalListener("SIGINT", forward);
  globalThis.addEventListener("unload", forward); // a second Ctrl-C exits here at once
  try {
    return (await child.status).code;
  } finally {
    done = true;
    Deno.removeSignalListener("SIGINT", forward);
    globalThis.removeEventListener("unload", forward);
  }
}
