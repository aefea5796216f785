/**
 * Compares the executed notebooks of two kernels (scripts/check/run_notebooks.py output folders):
 * fails when a notebook is missing under either, when any cell shows an error output or text
 * on stderr (how tslab reports a compile error), or when a notebook's plotly figures
 * (`application/vnd.plotly.v1+json` outputs) differ in number, order or kind between the two:
 * the n-th figure's MIME types (the `image/png` that JupyterLab's plotly renderer or the browser
 * check adds left out) and trace types must be the same under both. The same kinds of bundle make
 * the same offline pages, so `deno task browser` opens one kernel's pages only.
 *
 * Usage: deno run -A scripts/check/compare_kernels.ts DIR_A DIR_B   (e.g. out/notebooks out/notebooks-tslab)
 */
import { joined, listNotebooks } from "./notebook_files.ts";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}

/**
 * One figure's kind: its MIME types and trace types. Not its cell: Deno's kernel can publish an
 * output after it reported its cell done, and JupyterLab then shows it under a later cell (rare,
 * lib/viz/display.ts); the figures' order and kinds are what make the two kernels' pages alike.
 */
function figureKind(data: Record<string, unknown>): string {
  const mimes = Object.keys(data).filter((m) => m !== "image/png").sort();
  const fig = data["application/vnd.plotly.v1+json"] as { data?: { type?: string }[] };
  const traces = (fig.data ?? []).map((t) => t.type ?? "scatter");
  return `${mimes.join(" + ")}; traces ${traces.join(", ")}`;
}

/** Plotly figures (how many, and each one's kind) and problems (errors, stderr) of a notebook. */
export function summarize(nb: { cells: { outputs?: Output[] }[] }) {
  let figures = 0;
  const kinds: string[] = [];
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") problems.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === "stream" && o.name === "stderr") {
        const text = joined(o.text);
        problems.push(`cell ${i} (stderr): ${text.trim().slice(0, 300)}`);
      }
      if (o.data && "application/vnd.plotly.v1+json" in o.data) {
        figures++;
        kinds.push(figureKind(o.data));
      }
    }
  });
  return { figures, kinds, problems };
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
        return {
          figures: -1,
          kinds: [],
          problems: [`not readable: ${e instanceof Error ? e.message : e}`],
        };
      }
    };
    const [ra, rb] = [read(a), read(b)];
    const problems = [
      ...ra.problems.map((p) => `${a}: ${p}`),
      ...rb.problems.map((p) => `${b}: ${p}`),
    ];
    if (ra.figures !== rb.figures) {
      problems.push(`plotly figures differ: ${ra.figures} in ${a}, ${rb.figures} in ${b}`);
    } else {
      const k = ra.kinds.findIndex((kind, j) => kind !== rb.kinds[j]);
      if (k >= 0) {
        problems.push(`figure ${k + 1} differs: ${ra.kinds[k]} in ${a}, ${rb.kinds[k]} in ${b}`);
      }
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
  console.error(
    `[kernels] ${all.length} notebooks: the same figures (in order, MIME types, traces) under both kernels, no errors`,
  );
}
