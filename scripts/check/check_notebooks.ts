/**
 * Type-checks the code cells of every notebook with `deno check`: the cells of a notebook are
 * joined, in order, into one module next to the notebook (so its relative imports resolve),
 * checked, and removed again. Exits non-zero when any notebook has a type error.
 *
 * Usage: deno run -A scripts/check/check_notebooks.ts [NOTEBOOK|DIR ...]   (default: notebooks/)
 */
import { codeCells, listNotebooks } from "./notebook_files.ts";

const args = Deno.args.length ? Deno.args : ["notebooks"];
let failed = 0;
for (const path of await listNotebooks(args)) {
  const cells = await codeCells(path);
  const module = cells
    .map((source, i) => `// ---- cell ${i + 1}\n${source}\n`)
    .join("\n") + "\nexport {};\n";
  const dir = path.replace(/[^/]+$/, "");
  const name = path.slice(dir.length).replace(/\.ipynb$/, "");
  const tmp = `${dir}.check_${name}.ts`;
  await Deno.writeTextFile(tmp, module);
  try {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", tmp],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    console.error(`[check] ${path}: ${code === 0 ? "ok" : "type errors"} (${cells.length} cells)`);
    if (code !== 0) failed++;
  } finally {
    await Deno.remove(tmp);
  }
}
if (failed) {
  console.error(`[check] ${failed} notebook(s) with type errors`);
  Deno.exit(1);
}
