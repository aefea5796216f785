/**
 * The notebook runner (scripts/check/run_notebooks.py) through the project's Deno kernel:
 * a failing cell fails the run, and no output is lost, including outputs a kernel
 * publishes after reporting `idle`.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { makeTempDir } from "../../testing/temp_dir.ts";

const root = new URL("../..", import.meta.url).pathname;

async function runNotebooks(paths: string[], extra: string[] = []) {
  const { code, stdout, stderr } = await new Deno.Command("bash", {
    args: [
      `${root}scripts/env/jupyter.sh`,
      `${root}scripts/check/run_notebooks.py`,
      ...extra,
      ...paths,
    ],
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

Deno.test("30 cells of outputs, three runs: every output is kept", async () => {
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
    const paths = Array.from({ length: 3 }, () => `${dir}/many.ipynb`);
    const r = await runNotebooks(paths, [
      "--out",
      `${dir}/out`,
      "--no-html",
      "--quiet",
      "--count-outputs",
    ]);
    assertEquals(r.code, 0, r.stderr);
    const counts = r.stdout.trim().split("\n").map((l) => Number(l.split("\t")[1]));
    assertEquals(counts, [90, 90, 90], r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('tslab kernel: the library as "vqvar", whole figure bundles, a live figure updated in place', async () => {
  // A notebook inside the project (so Node finds node_modules/vqvar from it), run by the
  // project's tslab kernelspec, which rebuilds lib/ for Node when it changed.
  const dir = await makeTempDir();
  const path = `${dir}/tslab_check.ipynb`;
  try {
    await Deno.writeTextFile(
      path,
      notebook([
        'import { backendName, displayTarget, LiveFigure, show, tf } from "vqvar";\nconsole.log(displayTarget(), backendName, tf.tensor([1, 2]).sum().dataSync()[0]);',
        'await show({ data: [{ type: "scatter", y: [1, 3, 2] }], layout: { title: { text: "from tslab" } } });',
        'const live = new LiveFigure({ data: [{ type: "bar", y: [1] }] }, 0);\nawait live.show();\nawait live.update({ data: [{ type: "bar", y: [1, 2] }] });',
        "const n: number = 21;\nn * 2",
        "const wrong: string = 1;",
      ], "vqvar-tslab"),
    );
    const r = await runNotebooks([path], ["--out", `${dir}/out`, "--quiet"]);
    const nb = JSON.parse(await Deno.readTextFile(`${dir}/out/tslab_check.ipynb`));
    const outs = nb.cells.map((
      c: { outputs: { name?: string; text?: string[]; data?: Record<string, unknown> }[] },
    ) => c.outputs);
    assertEquals(outs[0][0].text.join(""), "tslab tensorflow 3\n", r.stderr);
    // The whole bundle: plotly's own MIME type (JupyterLab), HTML (exported pages), text.
    const fig = outs[1][0].data;
    assertEquals(
      (fig["application/vnd.plotly.v1+json"] as { layout: { title: { text: string } } }).layout
        .title.text,
      "from tslab",
    );
    assertStringIncludes(String(fig["text/html"]), "Plotly.newPlot");
    assert(!("image/png" in fig));
    // The live figure's update replaced its output: one output, holding the last figure.
    assertEquals(outs[2].length, 1);
    const live = outs[2][0].data["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] };
    assertEquals(live.data[0].y, [1, 2]);
    assertEquals(outs[3][0].text.join(""), "42\n"); // tslab prints a cell's value as text
    // A type error: tslab prints it on stderr and the cell fails, so the run fails.
    assert(r.code !== 0);
    assertStringIncludes(
      outs[4].map((o: { text?: string[] }) => (o.text ?? []).join("")).join(""),
      "not assignable to type 'string'",
    );
    assertStringIncludes(
      await Deno.readTextFile(`${dir}/out/tslab_check.html`),
      "plotly.js, inlined once",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
