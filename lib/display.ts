/**
 * Rich output that works wherever the code runs: the Deno Jupyter kernel, the tslab kernel,
 * or plain `deno run` / `node` (where a short text summary is printed instead).
 *
 * A bundle maps MIME types to content, as Jupyter's `display_data` does:
 * `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`.
 */
import process from "node:process";
import { createRequire } from "node:module";

export type MimeBundle = Record<string, unknown>;

/** Where output goes. */
export type DisplayTarget = "deno-jupyter" | "tslab" | "console";

interface DenoJupyter {
  display(
    obj: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void>;
}

interface TslabDisplay {
  raw(contentType: string, content: string | Uint8Array): void;
}

function denoJupyter(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  try {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    return deno?.jupyter;
  } catch {
    return undefined;
  }
}

let tslab: TslabDisplay | null | undefined;
function tslabDisplay(): TslabDisplay | undefined {
  if (tslab === undefined) {
    tslab = null;
    if (!(globalThis as { Deno?: unknown }).Deno && process.argv.some((a) => /tslab/.test(a))) {
      try {
        const req = createRequire(import.meta.url);
        tslab = (req("tslab") as { display: TslabDisplay }).display;
      } catch {
        tslab = null;
      }
    }
  }
  return tslab ?? undefined;
}

/** The output target of this process. */
export function displayTarget(): DisplayTarget {
  if (denoJupyter()) return "deno-jupyter";
  if (tslabDisplay()) return "tslab";
  return "console";
}

/**
 * tslab's display takes one MIME type per call; this is the order it tries them in
 * (richest that tslab's frontends render first).
 */
const TSLAB_ORDER = ["text/html", "image/svg+xml", "image/png", "text/plain"];

/**
 * Shows a MIME bundle. With `displayId`, a later call with the same id and `update: true`
 * replaces the earlier output in place (Deno kernel; tslab shows a new output instead).
 */
export async function display(
  bundle: MimeBundle,
  options: { displayId?: string; update?: boolean } = {},
): Promise<void> {
  const deno = denoJupyter();
  if (deno) {
    await deno.display(bundle, {
      raw: true,
      update: options.update ?? false,
      display_id: options.displayId,
    });
    return;
  }
  const ts = tslabDisplay();
  if (ts) {
    const type = TSLAB_ORDER.find((t) => t in bundle);
    if (type) ts.raw(type, String(bundle[type]));
    return;
  }
  if (!options.update) console.log(String(bundle["text/plain"] ?? "[rich output]"));
}
