/**
 * The IDX file format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, a type
 * code, the number of dimensions, then each dimension as uint32) followed by the values.
 * Files ending in `.gz` are gunzipped through Web streams (`DecompressionStream`).
 * File access goes through `node:fs`, so this runs under Deno and Node (tslab) alike.
 */
import { InputError } from "../core/errors.ts";
import { readBytes } from "../core/files.ts";
import { fileURLToPath } from "node:url";

/** An IDX file's contents: its dimensions and its values (as stored). */
export interface IdxArray {
  /** e.g. `[60000, 28, 28]` for images, `[60000]` for labels. */
  shape: number[];
  /** The values, row-major (only unsigned bytes, the type MNIST-like sets use). */
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: "uint8",
  0x09: "int8",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

/** Parses IDX bytes; `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source = "IDX data"): IdxArray {
  if (bytes.length < 4) {
    throw new InputError(
      `${source}: truncated, ${bytes.length} bytes is shorter than an IDX header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new InputError(
      `${source}: not an IDX file (the magic number must start with two zero bytes)`,
    );
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? `unknown type 0x${type.toString(16)}`;
    throw new InputError(`${source}: values are ${name}; only uint8 IDX files are supported`);
  }
  const rank = bytes[3];
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerLength) {
    throw new InputError(`${source}: truncated or corrupt header (rank ${rank})`);
  }
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < count) {
    throw new InputError(
      `${source}: truncated, header says [${shape}] = ${count} values but ${available} follow`,
    );
  }
  if (available > count) {
    throw new InputError(`${source}: ${available - count} bytes after the [${shape}] values`);
  }
  return { shape, data: bytes.subarray(headerLength) };
}

/** Reads an IDX file (gzipped when its name ends in `.gz`). */
export async function readIdx(path: string | URL): Promise<IdxArray> {
  // Errors name the file as a path, as a user typed it, not as a file: URL.
  const name = path instanceof URL && path.protocol === "file:"
    ? fileURLToPath(path)
    : String(path);
  let raw: Uint8Array;
  try {
    raw = await readBytes(path);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      throw new InputError(
        `${name}: file not found (the shipped datasets live in data/; see data/README.md)`,
      );
    }
    if ((err as { code?: string }).code === "EISDIR") {
      throw new InputError(`${name}: a folder, not an IDX file`);
    }
    throw err;
  }
  // A web server may send a .gz file with `Content-Encoding: gzip`, which the browser undoes:
  // only gunzip what still starts with gzip's magic bytes.
  if (!name.endsWith(".gz") || raw[0] !== 0x1f || raw[1] !== 0x8b) return parseIdx(raw, name);
  try {
    const stream = new Blob([raw as BlobPart]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    );
    return parseIdx(new Uint8Array(await new Response(stream).arrayBuffer()), name);
  } catch (err) {
    if (err instanceof TypeError) {
      throw new InputError(`${name}: corrupt or truncated gzip data (${err.message})`);
    }
    throw err;
  }
}

/** Encodes a uint8 IDX file (for tests and for datasets this project builds). */
export function encodeIdx(shape: number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}
