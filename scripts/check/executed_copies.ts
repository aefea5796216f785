/**
 * The executed notebooks committed for reading without installing anything
 * (`notebooks-executed/`): copies of `./vqvar notebooks`' full-budget run (`out/notebooks/`)
 * whose figures are PNG images only, so that every notebook viewer shows them (GitHub and other
 * viewers that run no scripts draw neither plotly's JSON nor its HTML, and would show the HTML's
 * empty frame before the PNG). The folder sits beside `notebooks/`, so the copies' relative
 * paths (`../data/…`, `../out/…`) still work when one is opened and run.
 *
 * `write` makes the copies and the folder's README; `problems` is what the tests assert empty: a
 * notebook without a copy (or a copy without a notebook), a copy whose cells (code or markdown)
 * differ from its notebook's, a copy not at full budget, a figure without its image, the folder
 * over its size bound.
 *
 * Usage: deno run -A scripts/check/executed_copies.ts [--from out/notebooks] [--to notebooks-executed]
 *        deno run -A scripts/check/executed_copies.ts --check   (what the tests check, as lines)
 */
import { parseArgs } from "node:util";
import { joined, listNotebooks } from "./notebook_files.ts";

/** The bound on the copies' total size (the issue's: readable from a clone, not a download). */
export const MAX_BYTES = 12e6;
const PLOTLY = "application/vnd.plotly.v1+json";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
}

const name = (path: string) => path.replace(/^.*\//, "");

/** The budget a run printed (`training budgets × S`), or undefined if none of its cells did. */
function printedBudget(nb: Notebook): number | undefined {
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      const m = joined(o.text).match(/training budgets × ([0-9.]+)/);
      if (m) return Number(m[1]);
    }
  }
  return undefined;
}

/**
 * A copy of an executed notebook for reading: each figure's output keeps its PNG rendering and
 * its text only. Throws if a figure has no PNG (run the browser check on the run first).
 */
export function slim(nb: Notebook, label: string): { nb: Notebook; figures: number } {
  let figures = 0;
  const cells = nb.cells.map((cell, i) => {
    if (!cell.outputs) return cell;
    const outputs = cell.outputs.map((o) => {
      if (!o.data || !(PLOTLY in o.data)) return o;
      figures++;
      const png = o.data["image/png"];
      if (typeof png !== "string") {
        throw new Error(`${label}: cell ${i} has a figure without a PNG rendering`);
      }
      const data: Record<string, unknown> = { "image/png": png };
      if (o.data["text/plain"]) data["text/plain"] = o.data["text/plain"];
      return { ...o, data, metadata: {} };
    });
    return { ...cell, outputs };
  });
  return { nb: { ...nb, cells }, figures };
}

/** The cells a reader compares: type and source, outputs left out. */
function cellsOf(nb: Notebook): string[] {
  return nb.cells.map((c) => `${c.cell_type}\n${joined(c.source)}`);
}

/** What is wrong with the copies in `copiesDir` against the notebooks in `notebooksDir`. */
export async function problems(notebooksDir: string, copiesDir: string): Promise<string[]> {
  const out: string[] = [];
  const sources = await listNotebooks([notebooksDir]);
  let copies: string[] = [];
  try {
    copies = await listNotebooks([copiesDir]);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const copyNames = new Set(copies.map(name));
  const sourceNames = new Set(sources.map(name));
  for (const c of copyNames) if (!sourceNames.has(c)) out.push(`${copiesDir}/${c}: no notebook`);
  let bytes = 0;
  for (const src of sources) {
    const copy = `${copiesDir}/${name(src)}`;
    if (!copyNames.has(name(src))) {
      out.push(`${copy}: missing`);
      continue;
    }
    const raw = await Deno.readTextFile(copy);
    bytes += new TextEncoder().encode(raw).length;
    const nb = JSON.parse(raw) as Notebook;
    const want = cellsOf(JSON.parse(await Deno.readTextFile(src)));
    const got = cellsOf(nb);
    const differ = want.map((w, i) => w === got[i] ? -1 : i).filter((i) => i >= 0);
    if (want.length !== got.length) {
      out.push(`${copy}: ${got.length} cells, its notebook ${want.length}`);
    } else if (differ.length) {
      out.push(`${copy}: cells ${differ.join(", ")} differ from ${src}`);
    }
    const budget = printedBudget(nb);
    if (budget !== undefined && budget !== 1) out.push(`${copy}: run at budget × ${budget}`);
    nb.cells.forEach((cell, i) => {
      for (const o of cell.outputs ?? []) {
        if (o.output_type === "error") out.push(`${copy}: cell ${i} failed`);
        if (o.data && PLOTLY in o.data) out.push(`${copy}: cell ${i} keeps plotly's JSON`);
      }
    });
  }
  if (bytes > MAX_BYTES) out.push(`${copiesDir}: ${(bytes / 1e6).toFixed(1)} MB, over 12 MB`);
  return out;
}

/** The folder's README: what the copies are, how they were made, and on what. */
function readme(rows: string[], cpu: string, date: string): string {
  return `# The notebooks, executed

Copies of [\`notebooks/\`](../notebooks) run top to bottom at full training budget on the Deno
kernel by \`./vqvar notebooks\`, which refreshes this folder, so the tutorial can be read with its
outputs before anything is installed. Figures are PNG images here (plotly.js draws them
interactively when you run the notebooks yourself). The tests fail when a notebook's cells and its
copy's differ.

Run on ${cpu}, ${date}.

| notebook | figures | size |
| --- | ---: | --- |
${rows.join("\n")}
`;
}

/** Writes the slim copies of the executed notebooks in `from` to `to`, and its README. */
export async function write(from: string, to: string, notebooksDir = "notebooks") {
  const sources = await listNotebooks([notebooksDir]);
  await Deno.mkdir(to, { recursive: true });
  const rows: string[] = [];
  for (const src of sources) {
    const run = `${from}/${name(src)}`;
    const nb = JSON.parse(await Deno.readTextFile(run)) as Notebook;
    const budget = printedBudget(nb);
    if (budget !== undefined && budget !== 1) {
      throw new Error(`${run} ran at budget × ${budget}: the copies are made at full budget`);
    }
    const { nb: copy, figures } = slim(nb, run);
    const tmp = `${to}/${name(src)}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify(copy, null, 1) + "\n");
    await Deno.rename(tmp, `${to}/${name(src)}`);
    const stat = await Deno.stat(`${to}/${name(src)}`);
    rows.push(
      `| [${name(src)}](${name(src)}) | ${figures} | ${(stat.size / 1e6).toFixed(2)} MB |`,
    );
  }
  const cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "?";
  await Deno.writeTextFile(
    `${to}/README.md`,
    readme(
      rows,
      `${navigator.hardwareConcurrency} × ${cpu}`,
      new Date().toISOString().slice(0, 10),
    ),
  );
  const left = await problems(notebooksDir, to);
  if (left.length) throw new Error(left.join("\n"));
  console.error(`[copies] ${sources.length} executed notebooks -> ${to}/`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      from: { type: "string", default: "out/notebooks" },
      to: { type: "string", default: "notebooks-executed" },
      check: { type: "boolean", default: false },
    },
  });
  try {
    if (values.check) {
      const left = await problems("notebooks", values.to);
      for (const p of left) console.error(p);
      Deno.exit(left.length ? 1 : 0);
    }
    const budget = Deno.env.get("VQVAR_BUDGET")?.trim();
    if (budget && Number(budget) !== 1) {
      console.error(
        `[copies] ${values.to}/ not refreshed: VQVAR_BUDGET=${budget} (full budget only)`,
      );
      Deno.exit(0);
    }
    await write(values.from, values.to);
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
