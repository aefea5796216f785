/**
 * The committed executed notebooks (notebooks-executed/) are the notebooks' own cells, run at
 * full budget, figures as PNG, within the size bound; and the check catches a changed cell.
 */
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { problems, slim } from "./executed_copies.ts";

Deno.test("notebooks-executed/ holds every notebook's cells as they are, executed at full budget, figures as PNG, under 12 MB", async () => {
  assertEquals(await problems("notebooks", "notebooks-executed"), []);
});

Deno.test("a changed code cell, a missing copy or a figure without its PNG is caught", async () => {
  const dir = await makeTempDir();
  await Deno.mkdir(`${dir}/nb`);
  await Deno.mkdir(`${dir}/copies`);
  const cells = (code: string) => [
    { cell_type: "markdown", source: ["# A\n"] },
    { cell_type: "code", source: [code], outputs: [] },
  ];
  const nb = (code: string) => JSON.stringify({ cells: cells(code), metadata: {} });
  await Deno.writeTextFile(`${dir}/nb/a.ipynb`, nb("1 + 1"));
  await Deno.writeTextFile(`${dir}/nb/b.ipynb`, nb("2"));
  await Deno.writeTextFile(`${dir}/copies/a.ipynb`, nb("1 + 2"));
  const found = await problems(`${dir}/nb`, `${dir}/copies`);
  assertEquals(found.length, 2, found.join("\n"));
  assertMatch(found[0], /a\.ipynb: cells 1 differ from/);
  assertMatch(found[1], /b\.ipynb: missing/);

  const figure = {
    output_type: "display_data",
    data: { "application/vnd.plotly.v1+json": { data: [] }, "text/html": "<div></div>" },
    metadata: {},
  };
  const withFigure = {
    cells: [{ cell_type: "code", source: "x", outputs: [figure] }],
    metadata: {},
  };
  assertThrows(() => slim(withFigure, "n.ipynb"), Error, "cell 0 has a figure without a PNG");
  figure.data = { ...figure.data, "image/png": "iVBOR" } as typeof figure.data;
  const { nb: slimmed, figures } = slim(withFigure, "n.ipynb");
  assertEquals(figures, 1);
  assertEquals(Object.keys(slimmed.cells[0].outputs![0].data!), ["image/png"]);
  assert(!JSON.stringify(slimmed).includes("plotly"));
});
