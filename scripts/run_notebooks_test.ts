/**
 * The notebook runner (scripts/run_notebooks.py) through the project's Deno kernel:
 * a failing cell fails the run, and no output is lost, including outputs a kernel
 * publishes after reporting `idle`.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

const root = new URL("..", import.meta.url).pathname;

async function runNotebooks(paths: string[], extra: string[] = []) {
  const { code, stdout, stderr } = await new Deno.Command("bash", {
    args: [`${root}scripts/jupyter.sh`, `${root}scripts/run_notebooks.py`, ...extra, ...paths],
    env: { VQVAR_JUPYTER_BIN: "python" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code, stdout: dec.decode(stdout), stderr: dec.decode(stderr) };
}

function notebook(cells: string[], kernel = "vqvar-deno"): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: kernel, language: "typescript" } },
    cells: cells.map((source, i) => ({
      id: `c${i}`,
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  });
}

Deno.test("a notebook with a failing cell makes the runner exit non-zero", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/fails.ipynb`,
      notebook(["console.log('fine');", "throw new Error('boom from cell 2');", "1 + 1"]),
    );
    const r = await runNotebooks([`${dir}/fails.ipynb`], ["--out", `${dir}/out`, "--quiet"]);
    assert(r.code !== 0, `exit code ${r.code}`);
    assertStringIncludes(r.stderr, "boom from cell 2");
    assertStringIncludes(r.stderr, "FAILED fails.ipynb");
    // The executed copy is written even on failure, so the error can be read in it.
    const executed = JSON.parse(await Deno.readTextFile(`${dir}/out/fails.ipynb`));
    assertEquals(executed.cells[0].outputs[0].text.join(""), "fine\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("30 cells of outputs, five runs: every output is kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Each cell makes three outputs: a stream, a rich display and an execute_result.
    const cells = Array.from(
      { length: 30 },
      (_, i) =>
        `console.log("line ${i}");\n` +
        `await Deno.jupyter.display({ "text/plain": "display ${i}" }, { raw: true });\n` +
        `${i} * 2`,
    );
    await Deno.writeTextFile(`${dir}/many.ipynb`, notebook(cells));
    const paths = Array.from({ length: 5 }, () => `${dir}/many.ipynb`);
    const r = await runNotebooks(paths, [
      "--out",
      `${dir}/out`,
      "--no-html",
      "--quiet",
      "--count-outputs",
    ]);
    assertEquals(r.code, 0, r.stderr);
    const counts = r.stdout.trim().split("\n").map((l) => Number(l.split("\t")[1]));
    assertEquals(counts, [90, 90, 90, 90, 90], r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tslab kernel: TypeScript runs and lib/display.ts shows a plotly figure and updates it", async () => {
  // tslab compiles cells (and local .ts files they import, without the extension) with its own
  // TypeScript under Node. The notebook sits at the project root so lib/ is inside tslab's
  // rootDir; it is written there for the run and removed after.
  const name = `.tslab_check_${Date.now()}`;
  const path = `${root}${name}.ipynb`;
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      path,
      notebook([
        'import { displayTarget, LiveFigure, show } from "./lib/display";\nconsole.log(displayTarget());',
        'await show({ data: [{ type: "scatter", y: [1, 3, 2] }], layout: { title: { text: "from tslab" } } });',
        'const live = new LiveFigure({ data: [{ type: "bar", y: [1] }] }, 0);\nawait live.show();\nawait live.update({ data: [{ type: "bar", y: [1, 2] }] });',
        "const n: number = 21;\nn * 2",
      ], "vqvar-tslab"),
    );
    const r = await runNotebooks([path], ["--out", dir, "--quiet"]);
    assertEquals(r.code, 0, r.stderr);
    const nb = JSON.parse(await Deno.readTextFile(`${dir}/${name}.ipynb`));
    const outs = nb.cells.map((
      c: { outputs: { text?: string[]; data?: Record<string, unknown> }[] },
    ) => c.outputs);
    assertEquals(outs[0][0].text.join(""), "tslab\n");
    // tslab takes one MIME type per output: the figure arrives as HTML with its plotly call.
    const html = String(outs[1][0].data["text/html"]);
    assertStringIncludes(html, "Plotly.newPlot");
    assertStringIncludes(html, "from tslab");
    assertEquals(outs[2].length, 2); // tslab cannot update in place: the update is a new output
    assertEquals(outs[3][0].text.join(""), "42\n"); // tslab prints a cell's value as text
    // The exported HTML draws it with the inlined plotly.js.
    assertStringIncludes(await Deno.readTextFile(`${dir}/${name}.html`), "plotly.js, inlined once");
  } finally {
    await Deno.remove(path).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
