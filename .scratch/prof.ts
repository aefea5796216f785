import { tf } from "../lib/core/backend.ts";
import { WORKLOADS } from "../bench/workloads.ts";
const w = WORKLOADS.find((w) => w.name === Deno.args[0])!;
const s = w.setup();
for (let i = 0; i < 5; i++) s.run();
const agg = new Map<string, { n: number; ms: number }>();
const reps = 5;
for (let r = 0; r < reps; r++) {
  const info = await tf.profile(() => s.run());
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`.slice(0, 110);
    const a = agg.get(key) ?? { n: 0, ms: 0 };
    a.n++;
    a.ms += (await k.kernelTimeMs) as number;
    agg.set(key, a);
  }
}
const byName = new Map<string, { n: number; ms: number }>();
for (const [k, v] of agg) {
  const n = k.split(" ")[0];
  const a = byName.get(n) ?? { n: 0, ms: 0 };
  a.n += v.n;
  a.ms += v.ms;
  byName.set(n, a);
}
const tot = [...byName.values()].reduce((a, b) => a + b.ms, 0) / reps;
console.log(
  `total kernel ms ${tot.toFixed(1)}, kernels ${
    [...byName.values()].reduce((a, b) => a + b.n, 0) / reps
  }`,
);
for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${(v.ms / reps).toFixed(2).padStart(8)} ms ×${v.n / reps} ${k}`);
}
console.log("--- by shape");
for (
  const [k, v] of [...agg].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(Deno.args[1] ?? 30))
) console.log(`${(v.ms / reps).toFixed(2).padStart(8)} ms ×${v.n / reps} ${k}`);
s.dispose();
