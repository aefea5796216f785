/**
 * A comment in lib/ that names a notebook ("notebook 01") names one that exists and that holds
 * what the line is about: at least one of the `identifiers` on that line appears in it. Counts
 * in comments are derived instead (e.g. `versions()` counts the reroutes), so they cannot drift.
 */
import { assert } from "@std/assert";

/** The .ts files under `dir`, recursively. */
async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* tsFiles(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

Deno.test("comments in lib/ that name a notebook name one that exists and is about the line's subject", async () => {
  const notebooks = new Map<string, string>();
  for await (const e of Deno.readDir("notebooks")) {
    const m = e.name.match(/^(\d\d)_.*\.ipynb$/);
    if (m) notebooks.set(m[1], await Deno.readTextFile(`notebooks/${e.name}`));
  }
  for await (const path of tsFiles("lib")) {
    const lines = (await Deno.readTextFile(path)).split("\n");
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/notebooks? (\d\d)\b/g)) {
        const where = `${path}:${i + 1}`;
        const text = notebooks.get(m[1]);
        assert(text !== undefined, `${where}: no notebook ${m[1]}`);
        const names = [...line.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((n) => n[1]);
        assert(names.length > 0, `${where}: name what the notebook shows in \`backticks\``);
        assert(
          names.some((n) => text.includes(n)),
          `${where}: notebook ${m[1]} mentions none of ${names.join(", ")}`,
        );
      }
    });
  }
});
