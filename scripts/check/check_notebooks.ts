/**
 * Type-checks the code cells of every notebook with `deno check`: the cells of a notebook are
 * joined, in order, into one module next to the notebook (so its relative imports resolve), all
 * of them checked by one `deno check` (one type-checker start for every notebook), and removed
 * again. Exits non-zero when any notebook has a type error; the errors name its module,
 * `.check_NAME.ts`, and its cells are marked `// ---- cell N`.
 *
 * Usage: deno run -A scripts/check/check_notebooks.ts [NOTEBOOK|DIR ...]   (default: notebooks/)
 */
import { codeCells, listNotebooks } from "./notebook_files.ts";

const args = Deno.args.length ? Deno.args : ["notebooks"];
const modules: { path: string; tmp: string; cells: number }[] = [];
try {
  for (const path of await listNotebooks(args)) {
    const cells = await codeCells(path);
    const module = cells
      .map((source, i) => `// ---- cell ${i + 1}\n${source}\n`)
      .join("\n") + "\nexport {};\n";
    const dir = path.replace(/[^/]+$/, "");
    const name = path.slice(dir.length).replace(/\.ipynb$/, "");
    const tmp = `${dir}.check_${name}.ts`;
    await Deno.writeTextFile(tmp, module);
    modules.push({ path, tmp, cells: cells.length });
  }
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", ...modules.map((m) => m.tmp)],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  for (const m of modules) console.error(`[check] ${m.path}: ${m.cells} cells`);
  if (code !== 0) {
    console.error(`[check] type errors in the notebooks above (.check_NAME.ts is notebook NAME)`);
    Deno.exit(1);
  }
  console.error(`[check] ${modules.length} notebooks: no type errors`);
} finally {
  for (const m of modules) await Deno.remove(m.tmp).catch(() => {});
}
