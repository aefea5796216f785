import { WORKLOADS } from "../bench/workloads.ts";
const names = Deno.args[0].split(",");
const reps = Number(Deno.args[1] ?? 15);
for (const n of names) {
  const w = WORKLOADS.find((w) => w.name === n)!;
  const s = w.setup();
  s.run();
  s.run();
  s.run();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    s.run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${n}: min ${ms[0].toFixed(1)} med ${ms[reps >> 1].toFixed(1)} max ${ms[reps - 1].toFixed(1)}`,
  );
  s.dispose();
}
