import { WORKLOADS } from "../bench/workloads.ts";
const w = WORKLOADS.find((w) => w.name === Deno.args[0])!;
const s = w.setup();
for (let i = 0; i < 3; i++) s.run();
const out: number[] = [];
for (let i = 0; i < Number(Deno.args[1] ?? 60); i++) { const t = performance.now(); s.run(); out.push(Math.round(performance.now() - t)); }
console.log(out.join(" "));
s.dispose();
