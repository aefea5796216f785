/**
 * A benchmark worker speaking JSON lines on stdin/stdout, so the coordinator (bench/run.ts) can
 * alternate it with the PyTorch worker (bench/reference/torch_worker.py, same protocol):
 *
 *   → {"cmd": "setup", "name": "nearest-code"}   ← {"ok": true}      (builds, warms up twice)
 *   → {"cmd": "run", "reps": 5, "warmMs": 1000}   ← {"ms": [...]}     (untimed for warmMs,
 *                                                                       then one time per rep)
 *   → {"cmd": "dispose"}                           ← {"ok": true}
 *
 * On start it prints {"ready": true, "runtime", "backend", "versions"}. Runs under Deno
 * directly and under Node from the bundle bench/run.ts builds (the backend is chosen at start:
 * VQVAR_BACKEND).
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { backendName, versions } from "../lib/core/backend.ts";
import { WORKLOADS } from "./workloads.ts";

const send = (o: unknown) => process.stdout.write(JSON.stringify(o) + "\n");
const runtime = (globalThis as { Deno?: unknown }).Deno ? "deno" : "node";
send({ ready: true, runtime, backend: backendName, versions: versions() });

let current: { run(): void; dispose(): void } | undefined;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const msg = JSON.parse(line);
    if (msg.cmd === "setup") {
      current?.dispose();
      const w = WORKLOADS.find((w) => w.name === msg.name);
      if (!w) throw new Error(`unknown workload ${msg.name}`);
      current = w.setup();
      current.run();
      current.run();
      send({ ok: true });
    } else if (msg.cmd === "run") {
      const warm = performance.now();
      while (performance.now() - warm < (msg.warmMs ?? 0)) current!.run();
      const ms: number[] = [];
      for (let i = 0; i < msg.reps; i++) {
        const t0 = performance.now();
        current!.run();
        ms.push(performance.now() - t0);
      }
      send({ ms });
    } else if (msg.cmd === "dispose") {
      current?.dispose();
      current = undefined;
      send({ ok: true });
    } else {
      throw new Error(`unknown command ${msg.cmd}`);
    }
  } catch (err) {
    send({ error: err instanceof Error ? err.message : String(err) });
  }
}
current?.dispose();
process.exit(0);
