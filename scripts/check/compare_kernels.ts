/**
 * Compares the executed notebooks of two kernels (scripts/check/run_notebooks.py output folders):
 * fails when a notebook is missing under either, when any cell shows an error output or text
 * on stderr (how tslab reports a compile error), or when a notebook has fewer plotly figures
 * (`application/vnd.plotly.v1+json` outputs) under one kernel than under the other.
 *
 * Usage: deno run -A scripts/check/compare_kernels.ts DIR_A DIR_B   (e.g. out/notebooks out/notebooks-tslab)
 */
import { listNotebooks } from "./notebook_files.ts";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}

/** Plotly figures and problems (errors, stderr) of one executed notebook. */
export function summarize(nb: { cells: { outputs?: Output[] }[] }) {
  let figures = 0;
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") problems.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === "stream" && o.name === "stderr") {
        const text = Array.isArray(o.text) ? o.text.join("") : o.text ?? "";
        problems.push(`cell ${i} (stderr): ${text.trim().slice(0, 300)}`);
      }
      if (o.data && "application/vnd.plotly.v1+json" in o.data) figures++;
    }
  });
  return { figures, problems };
}

if (import.meta.main) {
  const [a, b] = Deno.args;
  if (!a || !b) {
    console.error("usage: compare_kernels.ts DIR_A DIR_B");
    Deno.exit(2);
  }
  const names = (dir: string) =>
    listNotebooks([dir]).then((ps) => ps.map((p) => p.replace(/^.*\//, "")));
  const all = [...new Set([...await names(a), ...await names(b)])].sort();
  let failed = 0;
  const rows: Record<string, Record<string, string>> = {};
  for (const name of all) {
    const read = (dir: string) => {
      try {
        return summarize(JSON.parse(Deno.readTextFileSync(`${dir}/${name}`)));
      } catch (e) {
        return { figures: -1, problems: [`not readable: ${e instanceof Error ? e.message : e}`] };
      }
    };
    const [ra, rb] = [read(a), read(b)];
    const problems = [
      ...ra.problems.map((p) => `${a}: ${p}`),
      ...rb.problems.map((p) => `${b}: ${p}`),
    ];
    if (ra.figures !== rb.figures) {
      problems.push(`plotly figures differ: ${ra.figures} in ${a}, ${rb.figures} in ${b}`);
    }
    rows[name] = { [a]: `${ra.figures} figures`, [b]: `${rb.figures} figures` };
    if (problems.length) {
      failed++;
      console.error(`[kernels] ${name}: FAILED`);
      for (const p of problems) console.error(`  ${p}`);
    }
  }
  console.table(rows);
  if (failed) {
    console.error(`[kernels] ${failed} notebook(s) differ or fail`);
    Deno.exit(1);
  }
  console.error(`[kernels] ${all.length} notebooks: same figures under both kernels, no errors`);
}
