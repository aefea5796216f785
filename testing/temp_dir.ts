/**
 * Temporary folders for tests, under the project's `.cache/tmp/` rather than the system's
 * temp folder, so that `deno test -P` needs write access to that one folder only (see the
 * `test.permissions` of deno.json).
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const base = fileURLToPath(new URL("../.cache/tmp/", import.meta.url));

/** Makes a new empty folder under `.cache/tmp/` and returns its path. */
export async function makeTempDir(): Promise<string> {
  mkdirSync(base, { recursive: true });
  return await Deno.makeTempDir({ dir: base });
}

/**
 * Points TMPDIR at `.cache/tmp/` (made if missing), for code that writes to the system's temp
 * folder: lib/core/graph writes each graph's SavedModel file there.
 */
export function useProjectTmp(): void {
  mkdirSync(base, { recursive: true });
  Deno.env.set("TMPDIR", base);
}
