/**
 * deno task bench — times every workload of bench/workloads.ts on every backend that runs it,
 * under Deno and under Node, alternating each measurement round with the PyTorch reference
 * (bench/reference/torch_worker.py) in the same run, so machine noise hits both alike.
 * Prints a table and writes bench/results.json:
 *
 *   { "workloads": [{ "name", "backend", "runtime", "ms", "referenceMs", "speedup" }], ... }
 *
 * `ms` is the median over rounds of the per-round median; `speedup` = referenceMs / ms (> 1:
 * we are faster); `msMin`/`msMax`, `referenceMsMin`/`referenceMsMax` and
 * `speedupMin`/`speedupMax` (per-round ratios) give the spread. The reference runs when a Python
 * with torch is found ($VQVAR_TORCH_PYTHON, .venv/bin/python, python3); otherwise referenceMs
 * and speedup are null.
 *
 * Method: the workers take turns, and after every turn the coordinator waits `--gap-ms`
 * (default 500) before the next one starts: TensorFlow's and PyTorch's thread pools keep
 * spinning for a while after their work ends, and a worker that starts while another's threads
 * still spin on a 2-core machine runs on a fraction of the CPU. (Without the gap the published
 * PyTorch times were 2–5× too slow.) Each turn then first runs its workload untimed for
 * `--warm-ms` (default 1000) and only then times `--reps` repetitions: a training loop runs
 * without pauses, and after a pause our TensorFlow process needs a few hundred milliseconds of
 * work to reach its steady speed on the VMs measured (PyTorch's does not), so without it the
 * bench timed a cold start that no training run sees (bench/README.md, "One step measure";
 * `--warm-ms 0` gives the old protocol). `--check-reference` then runs the PyTorch reference alone,
 * with no other worker alive, and says per workload whether its median agrees within 15 %.
 * `meta` records the CPU (model, vector extensions), the thread counts and the libraries.
 *
 * Options: --runtimes deno,node (also deno-stock: Deno with VQVAR_ONEDNN=0)  --backends tensorflow,wasm,cpu  --workloads a,b
 *          --parts (after each training workload, its breakdown: no-quantizer, encoder,
 *          decoder, quantizer; see bench/workloads.ts)
 *          --rounds 5  --reps 3  --gap-ms 500  --warm-ms 1000  --no-reference  --check-reference
 *          --out bench/results.json
 */
import { parseArgs } from "node:util";
import { WORKLOADS } from "./workloads.ts";
import { findTorchPython, median, Worker } from "./workers.ts";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    runtimes: { type: "string", default: "deno,node" },
    backends: { type: "string", default: "tensorflow,wasm,cpu" },
    workloads: {
      type: "string",
      default: WORKLOADS.filter((w) => !w.part).map((w) => w.name).join(","),
    },
    parts: { type: "boolean", default: false },
    rounds: { type: "string", default: "5" },
    reps: { type: "string", default: "3" },
    "no-reference": { type: "boolean", default: false },
    "check-reference": { type: "boolean", default: false },
    "gap-ms": { type: "string", default: "500" },
    "warm-ms": { type: "string", default: "1000" },
    out: { type: "string", default: "bench/results.json" },
  },
});
const root = new URL("..", import.meta.url).pathname;
const rounds = Number(a.rounds), reps = Number(a.reps), gapMs = Number(a["gap-ms"]);
const warmMs = Number(a["warm-ms"]);
/** Lets the previous worker's spinning threads go idle before the next one is timed. */
const settle = () => new Promise((r) => setTimeout(r, gapMs));
const say = (s: string) => console.error(`[bench] ${s}`);

async function nodeBundle(): Promise<string> {
  const out = `${root}bench/.build/worker.mjs`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--format",
      "esm",
      "--packages",
      "external",
      "--external",
      "@tensorflow/*",
      "--external",
      "fast-png",
      "-o",
      out,
      `${root}bench/worker.ts`,
    ],
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`deno bundle failed: ${new TextDecoder().decode(stderr)}`);
  return out;
}

/**
 * A worker of ours: `deno`, `node`, or `deno-stock` (Deno with tfjs-node's stock kernels,
 * `VQVAR_ONEDNN=0`, to measure what lib/core/onednn.ts changes in the same run).
 */
function ourWorker(runtime: string, backend: string, bundle?: string): Worker {
  const env = {
    VQVAR_BACKEND: backend,
    ...(runtime === "deno-stock" ? { VQVAR_ONEDNN: "0" } : {}),
  };
  return runtime === "node"
    ? new Worker("node", [bundle!], env)
    : new Worker(Deno.execPath(), ["run", "-A", `${root}bench/worker.ts`], env);
}

const wanted = a.workloads!.split(",").flatMap((n) =>
  a.parts
    ? [n, ...WORKLOADS.filter((w) => w.part && w.name.startsWith(`${n}/`)).map((w) => w.name)]
    : [n]
);
const selected = wanted.map((n) => {
  const w = WORKLOADS.find((w) => w.name === n);
  if (!w) throw new Error(`unknown workload ${n}; known: ${WORKLOADS.map((w) => w.name)}`);
  return w;
});
const runtimes = a.runtimes!.split(",");
const backends = a.backends!.split(",");
const py = a["no-reference"] ? undefined : await findTorchPython();
say(py ? `PyTorch reference: ${py}` : "PyTorch reference: skipped (no Python with torch found)");
const bundle = runtimes.includes("node") ? await nodeBundle() : undefined;
const ref = py
  ? await new Worker(py, [`${root}bench/reference/torch_worker.py`]).start()
  : undefined;
if (ref) say(`reference: ${JSON.stringify(ref.info.versions)}`);

interface Row {
  name: string;
  backend: string;
  runtime: string;
  ms: number | null;
  referenceMs: number | null;
  speedup: number | null;
  msMin?: number;
  msMax?: number;
  referenceMsMin?: number;
  referenceMsMax?: number;
  speedupMin?: number;
  speedupMax?: number;
  note?: string;
}
const rows: Row[] = [];

/** The CPU: model, logical cores, and the vector extensions that matter for these kernels. */
function cpuInfo(): Record<string, unknown> {
  try {
    const text = Deno.readTextFileSync("/proc/cpuinfo");
    const model = text.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown";
    const flags = new Set((text.match(/^flags\s*:\s*(.*)$/m)?.[1] ?? "").split(/\s+/));
    const wanted = [
      "avx",
      "avx2",
      "fma",
      "avx512f",
      "avx512bw",
      "avx512vl",
      "avx512_vnni",
      "amx_tile",
    ];
    return {
      model,
      logicalCores: (text.match(/^processor\s*:/gm) ?? []).length,
      vectorExtensions: wanted.filter((f) => flags.has(f)),
    };
  } catch {
    return { model: "unknown" };
  }
}
const meta: Record<string, unknown> = {
  date: new Date().toISOString(),
  rounds,
  reps,
  gapMs,
  warmMs,
  cpu: cpuInfo(),
  threads: {
    ours: "TensorFlow's defaults: intra-op = inter-op = logical cores (tfjs-node sets none)",
    reference: Deno.env.get("VQVAR_TORCH_THREADS") ?? "2",
  },
  libraries: {
    ours: "TensorFlow 2.21 CPU wheel (oneDNN on: TF_ENABLE_ONEDNN_OPTS unset), Eigen thread pool",
  },
};

/** Rows without figures, one per runtime, saying why. */
const noFigures = (name: string, backend: string, runtimes: string[], note: string): Row[] =>
  runtimes.map((runtime) => ({
    name,
    backend,
    runtime,
    ms: null,
    referenceMs: null,
    speedup: null,
    note,
  }));
const skipped = (backend: string) =>
  backend === "wasm"
    ? "no Conv2DBackpropFilter kernel on wasm"
    : "skipped: minutes per step on cpu";

for (const backend of backends) {
  // One worker per runtime, all alive at once, so every round runs Deno, Node and PyTorch
  // back to back: machine noise hits all three alike.
  const workers: [string, Worker][] = [];
  for (const runtime of runtimes) {
    const w = await ourWorker(runtime, backend, bundle).start().catch((e) => {
      say(`${runtime}/${backend}: cannot start (${e.message})`);
      return undefined;
    });
    if (!w) continue;
    if (w.info.backend !== backend) {
      say(`${runtime}/${backend}: came up as ${w.info.backend}; skipped`);
      await w.close();
      continue;
    }
    meta[`${runtime}/${backend}`] = w.info.versions;
    workers.push([runtime, w]);
  }
  for (const wl of selected) {
    if (wl.train && backend !== "tensorflow") {
      rows.push(...noFigures(wl.name, backend, workers.map(([r]) => r), skipped(backend)));
      continue;
    }
    try {
      let slow = false;
      for (const [, w] of workers) {
        const t0 = performance.now();
        await w.call({ cmd: "setup", name: wl.name });
        // Slow backends get one repetition (the setup ran the workload twice).
        if ((performance.now() - t0) / 2 > 3000) slow = true;
      }
      const r = slow ? 1 : reps, n = slow ? 1 : rounds, warm = slow ? 0 : warmMs;
      if (ref) await ref.call({ cmd: "setup", name: wl.name });
      const ours = workers.map(() => [] as number[]), theirs: number[] = [];
      for (let i = 0; i < n; i++) {
        for (const [k, [, w]] of workers.entries()) {
          await settle();
          ours[k].push(
            median((await w.call({ cmd: "run", reps: r, warmMs: warm })).ms as number[]),
          );
        }
        if (ref) {
          await settle();
          theirs.push(
            median((await ref.call({ cmd: "run", reps: r, warmMs: warm })).ms as number[]),
          );
        }
      }
      for (const [, w] of workers) await w.call({ cmd: "dispose" });
      if (ref) await ref.call({ cmd: "dispose" });
      const referenceMs = ref ? median(theirs) : null;
      workers.forEach(([runtime], k) => {
        const ms = median(ours[k]);
        const ratios = theirs.map((t, i) => t / ours[k][i]);
        rows.push({
          name: wl.name,
          backend,
          runtime,
          ms,
          referenceMs,
          speedup: referenceMs ? referenceMs / ms : null,
          msMin: Math.min(...ours[k]),
          msMax: Math.max(...ours[k]),
          ...(ref
            ? {
              referenceMsMin: Math.min(...theirs),
              referenceMsMax: Math.max(...theirs),
              speedupMin: Math.min(...ratios),
              speedupMax: Math.max(...ratios),
            }
            : {}),
        });
        say(
          `${wl.name} ${runtime}/${backend}: ${ms.toFixed(1)} ms${
            referenceMs
              ? ` vs PyTorch ${referenceMs.toFixed(1)} ms (×${(referenceMs / ms).toFixed(2)})`
              : ""
          }`,
        );
      });
    } catch (e) {
      rows.push(...noFigures(wl.name, backend, workers.map(([r]) => r), (e as Error).message));
      say(`${wl.name} ${backend}: failed (${(e as Error).message})`);
    }
  }
  for (const [, w] of workers) await w.close();
}
await ref?.close();
if (ref) meta.reference = ref.info.versions;

// The reference alone: no other worker alive. Its medians should agree with the interleaved ones.
if (ref && a["check-reference"]) {
  const alone = await new Worker(py!, [`${root}bench/reference/torch_worker.py`]).start();
  const check: Record<string, unknown> = {};
  for (const wl of selected) {
    const interleaved = rows.find((r) => r.name === wl.name && r.referenceMs !== null)?.referenceMs;
    if (!interleaved) continue;
    await alone.call({ cmd: "setup", name: wl.name });
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      ms.push(median((await alone.call({ cmd: "run", reps, warmMs })).ms as number[]));
    }
    await alone.call({ cmd: "dispose" });
    const m = median(ms);
    const agrees = Math.abs(m / interleaved - 1) <= 0.15;
    check[wl.name] = { aloneMs: m, interleavedMs: interleaved, agrees };
    say(
      `reference alone: ${wl.name} ${m.toFixed(1)} ms vs ${
        interleaved.toFixed(1)
      } ms interleaved: ${agrees ? "agrees" : "DISAGREES"} (within 15 %)`,
    );
  }
  await alone.close();
  meta.referenceAloneCheck = check;
}

const fmt = (x: number | null, d = 1) => x === null ? "—" : x.toFixed(d);
/** min / median / max */
const spread = (lo: number | undefined, mid: number | null, hi: number | undefined, d = 1) =>
  mid === null ? "—" : `${fmt(lo ?? mid, d)} / ${fmt(mid, d)} / ${fmt(hi ?? mid, d)}`;
console.log(
  "| workload | runtime | backend | ms (min / median / max) | PyTorch ms (min / median / max) | speedup (min / median / max) |\n|---|---|---|---:|---:|---:|",
);
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.runtime} | ${r.backend} | ${spread(r.msMin, r.ms, r.msMax)} | ${
      spread(r.referenceMsMin, r.referenceMs, r.referenceMsMax)
    } | ${
      r.speedup === null ? (r.note ?? "—") : `×${spread(r.speedupMin, r.speedup, r.speedupMax, 2)}`
    } |`,
  );
}
// Arithmetic rate against the machine's peak: each training workload's FLOPs per step (counted
// from its shapes, bench/flops.ts) over its median time, as a share of the best float32 matrix
// product either side reached in this run (sgemm-peak).
const gflops = (flops: number, ms: number | null) => ms ? flops / ms / 1e6 : null;
const peakRow = rows.find((r) => r.name === "sgemm-peak" && r.runtime === "deno");
const peakFlops = WORKLOADS.find((w) => w.name === "sgemm-peak")!.flops!;
const peak = peakRow
  ? Math.max(gflops(peakFlops, peakRow.ms) ?? 0, gflops(peakFlops, peakRow.referenceMs) ?? 0)
  : 0;
const rates: Record<string, unknown>[] = [];
if (peak > 0) {
  console.log(
    `\nPeak (sgemm-peak, the better side): ${peak.toFixed(1)} GFLOP/s\n` +
      "| workload | runtime | GFLOP per step | ours GFLOP/s | PyTorch GFLOP/s | ours % of peak | PyTorch % of peak |\n|---|---|---:|---:|---:|---:|---:|",
  );
  for (const r of rows) {
    const flops = WORKLOADS.find((w) => w.name === r.name)?.flops;
    if (!flops || r.name === "sgemm-peak") continue;
    const ours = gflops(flops, r.ms), theirs = gflops(flops, r.referenceMs);
    const pct = (x: number | null) => x === null ? "—" : `${(100 * x / peak).toFixed(0)} %`;
    console.log(
      `| ${r.name} | ${r.runtime} | ${(flops / 1e9).toFixed(2)} | ${fmt(ours)} | ${fmt(theirs)} | ${
        pct(ours)
      } | ${pct(theirs)} |`,
    );
    rates.push({ name: r.name, runtime: r.runtime, flops, ours, pytorch: theirs });
  }
}
meta.peakGflops = peak || null;
meta.rates = rates;
// Deno against Node, same workload and backend, measured in the same rounds.
const denoVsNode: Record<string, number> = {};
for (const r of rows) {
  if (r.runtime !== "deno" || r.ms === null) continue;
  const n = rows.find((x) => x.runtime === "node" && x.name === r.name && x.backend === r.backend);
  if (n?.ms) denoVsNode[`${r.name}/${r.backend}`] = r.ms / n.ms;
}
if (Object.keys(denoVsNode).length) {
  console.log("\n| workload/backend | Deno ms ÷ Node ms |\n|---|---:|");
  for (const [k, v] of Object.entries(denoVsNode)) console.log(`| ${k} | ${v.toFixed(2)} |`);
}
meta.denoOverNode = denoVsNode;
const tmp = `${a.out}.tmp`;
await Deno.writeTextFile(tmp, JSON.stringify({ workloads: rows, meta }, null, 2) + "\n");
await Deno.rename(tmp, a.out!);
say(`wrote ${a.out}`);
