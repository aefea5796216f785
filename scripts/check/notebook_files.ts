/** Reading notebooks (nbformat 4 JSON) from TypeScript: listing and code cells. */

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** Notebook paths: files as given, folders as their `*.ipynb` files in name order. */
export async function listNotebooks(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if ((await Deno.stat(p)).isDirectory) {
      const names: string[] = [];
      for await (const e of Deno.readDir(p)) {
        if (e.isFile && e.name.endsWith(".ipynb")) names.push(e.name);
      }
      out.push(...names.sort().map((n) => `${p.replace(/\/$/, "")}/${n}`));
    } else {
      out.push(p);
    }
  }
  return out;
}

/** A multi-line field of nbformat (`source`, a stream's `text`): a string or a list of lines. */
export function joined(field: string | string[] | undefined): string {
  return Array.isArray(field) ? field.join("") : field ?? "";
}

/** The source of every code cell, in order. */
export async function codeCells(path: string): Promise<string[]> {
  const nb = JSON.parse(await Deno.readTextFile(path)) as { cells?: Cell[] };
  if (!Array.isArray(nb.cells)) throw new Error(`${path} is not an nbformat 4 notebook`);
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => joined(c.source));
}
