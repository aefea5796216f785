/**
 * Builds the web page (`web/`) into a static folder (default `out/web/`) that any static file
 * server can serve, with nothing loaded from the network:
 *
 * - `app.js`: the page's main thread (`web/app.ts`: controls, pictures, plotly.js), and
 *   `worker.js`: its model worker (`web/worker.ts` and the `lib` modules it uses, with
 *   TensorFlow.js), bundled by esbuild (ES modules, minified) with `web/backend.ts` in place of
 *   `lib/core/backend.ts` (browser backends) and the `node:` built-ins some `lib` modules import
 *   for their disk paths replaced by empty modules (the page reads over HTTP:
 *   `lib/core/files.ts`).
 * - TensorFlow.js's `.wasm` files beside it (for the `wasm` backend), `index.html`, `style.css`.
 * - `data/`: the shipped tokenizer, VAR and classifier checkpoints, and the first 1,000
 *   Fashion-MNIST test images (an IDX file like the full one).
 *
 * Usage: deno run -A scripts/build/build_web.ts [--out DIR]
 */
import * as esbuild from "esbuild";
import { copyFile, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeIdx, readIdx } from "../../lib/data/idx.ts";

const root = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
/** Test images shipped with the page. */
const TEST_IMAGES = 1000;

/** `lib/core/backend.ts` → `web/backend.ts`; `node:*` (and bare Node built-ins) → `{}`. */
const browserPlugin: esbuild.Plugin = {
  name: "vqvar-browser",
  setup(build) {
    const libBackend = join(root, "lib/core/backend.ts");
    build.onResolve(
      { filter: /backend\.ts$/ },
      (args) =>
        join(args.resolveDir, args.path) === libBackend
          ? { path: join(root, "web/backend.ts") }
          : undefined,
    );
    build.onResolve(
      { filter: /^(node:.*|fs|path|os|url|util|crypto|worker_threads|perf_hooks|module)$/ },
      (args) => ({ path: args.path, namespace: "node-builtin" }),
    );
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, () => ({
      contents: "module.exports = {};",
      loader: "js",
    }));
  },
};

async function copyTree(from: string, to: string, keep: (name: string) => boolean = () => true) {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    if (e.isDirectory()) await copyTree(join(from, e.name), join(to, e.name), keep);
    else if (keep(e.name)) await copyFile(join(from, e.name), join(to, e.name));
  }
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The first `n` rows of a gzipped IDX file, gzipped. */
async function idxHead(file: string, n: number): Promise<Uint8Array> {
  const { shape, data } = await readIdx(file);
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  return await gzip(encodeIdx([n, ...shape.slice(1)], data.subarray(0, n * per)));
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await sizeOf(p) : (await stat(p)).size;
  }
  return total;
}

/**
 * Copies what the page loads beside app.js into `out`: the HTML and CSS, TensorFlow.js's
 * `.wasm` files, the shipped checkpoints and the first `TEST_IMAGES` test images.
 */
async function copyAssets(out: string) {
  for (const f of ["index.html", "style.css"]) await copyFile(join(root, "web", f), join(out, f));
  const wasmDir = join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
  for (const f of await readdir(wasmDir)) {
    if (f.endsWith(".wasm")) await copyFile(join(wasmDir, f), join(out, f));
  }
  await copyTree(
    join(root, "data/tokenizer/fashion-mnist-vqvae-multiscale"),
    join(out, "data/tokenizer/fashion-mnist-vqvae-multiscale"),
    (name) => name !== "report.json",
  );
  for (const part of ["var", "classifier"]) {
    await copyTree(
      join(root, "data/var/fashion-mnist-var", part),
      join(out, "data/var/fashion-mnist-var", part),
    );
  }
  const fm = join(out, "data/fashion-mnist");
  await mkdir(fm, { recursive: true });
  for (const kind of ["images-idx3", "labels-idx1"]) {
    const name = `t10k-${kind}-ubyte.gz`;
    await writeFile(
      join(fm, name),
      await idxHead(join(root, "data/fashion-mnist", name), TEST_IMAGES),
    );
  }
}

/** Each bundle's size and largest parts, for the log. */
function describeBundles(metafile: esbuild.Metafile): string[] {
  return Object.entries(metafile.outputs).map(([file, output]) => {
    const parts = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
        input.split("/").slice(0, 2).join("/");
      parts.set(key, (parts.get(key) ?? 0) + bytesInOutput);
    }
    const largest = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([k, v]) => `${k} ${(v / 1e6).toFixed(2)} MB`).join(", ");
    return `${file.split("/").pop()} ${(output.bytes / 1e6).toFixed(1)} MB: ${largest}`;
  });
}

/** Builds the page into `out` (replacing what is there) and logs its size. */
export async function buildWeb(out = join(root, "out/web")): Promise<void> {
  const t0 = performance.now();
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(root, "web/app.ts"), join(root, "web/worker.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    outdir: out,
    entryNames: "[name]",
    plugins: [browserPlugin],
    logLevel: "warning",
    metafile: true,
  });
  await esbuild.stop();
  await copyAssets(out);
  const total = await sizeOf(out);
  const bundles = describeBundles(result.metafile);
  console.error(
    `[web] built ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${
      (total / 1e6).toFixed(1)
    } MB in all (${bundles.join("; ")})`,
  );
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--out");
  await buildWeb(at >= 0 ? Deno.args[at + 1] : undefined);
}
