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

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "vqvar-deno", display_name: "Deno", language: "typescript" } },
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
