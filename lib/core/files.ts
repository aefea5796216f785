/**
 * Reading the files the library ships (datasets, checkpoints) from a path or a URL: `http(s):`
 * URLs are fetched (a web page loads them relative to itself), anything else is read from disk
 * through `node:fs` (Deno and Node alike). A missing file (also a path through a file) is an
 * error with `code: "ENOENT"` either way, so callers tell it apart the same.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The project's `data/` folder: the datasets and checkpoints it ships. */
export const DATA_DIR: URL = new URL("../../data/", import.meta.url);

/** The path on disk of `relative` inside the shipped `data/` folder. */
export function shippedPath(relative: string): string {
  return fileURLToPath(new URL(relative, DATA_DIR));
}

/** Whether `source` is fetched rather than read from disk. */
export function isHttp(source: string | URL): boolean {
  return /^https?:\/\//i.test(String(source));
}

/** The bytes of a file on disk or behind an `http(s):` URL. */
export async function readBytes(source: string | URL): Promise<Uint8Array> {
  if (!isHttp(source)) {
    try {
      return new Uint8Array(await readFile(source));
    } catch (err) {
      // A path through a file (`notes.txt/x`) names no file either: ENOENT, as callers expect.
      if ((err as { code?: string }).code === "ENOTDIR") {
        Object.assign(err as Error, { code: "ENOENT" });
      }
      throw err;
    }
  }
  const response = await fetch(source);
  if (!response.ok) {
    const err = new Error(`${source}: HTTP ${response.status} ${response.statusText}`);
    throw response.status === 404 ? Object.assign(err, { code: "ENOENT" }) : err;
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** The UTF-8 text of a file on disk or behind an `http(s):` URL. */
export async function readText(source: string | URL): Promise<string> {
  return new TextDecoder().decode(await readBytes(source));
}
