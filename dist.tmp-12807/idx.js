var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/idx.ts
var idx_exports = {};
__export(idx_exports, {
  encodeIdx: () => encodeIdx,
  parseIdx: () => parseIdx,
  readIdx: () => readIdx
});
module.exports = __toCommonJS(idx_exports);
var import_promises = require("node:fs/promises");
var TYPE_NAMES = {
  8: "uint8",
  9: "int8",
  11: "int16",
  12: "int32",
  13: "float32",
  14: "float64"
};
function parseIdx(bytes, source = "IDX data") {
  if (bytes.length < 4) {
    throw new Error(`${source}: truncated, ${bytes.length} bytes is shorter than an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new Error(`${source}: not an IDX file (the magic number must start with two zero bytes)`);
  }
  const type = bytes[2];
  if (type !== 8) {
    const name = TYPE_NAMES[type] ?? `unknown type 0x${type.toString(16)}`;
    throw new Error(`${source}: values are ${name}; only uint8 IDX files are supported`);
  }
  const rank = bytes[3];
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerLength) {
    throw new Error(`${source}: truncated or corrupt header (rank ${rank})`);
  }
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < count) {
    throw new Error(
      `${source}: truncated, header says [${shape}] = ${count} values but ${available} follow`
    );
  }
  if (available > count) {
    throw new Error(`${source}: ${available - count} bytes after the [${shape}] values`);
  }
  return { shape, data: bytes.subarray(headerLength) };
}
async function readIdx(path) {
  const name = String(path);
  let raw;
  try {
    raw = new Uint8Array(await (0, import_promises.readFile)(path));
  } catch (err) {
    if (err.code === "ENOENT") {
      throw new Error(`${name}: file not found (the datasets live in data/; see data/README.md)`);
    }
    throw err;
  }
  if (!name.endsWith(".gz")) return parseIdx(raw, name);
  try {
    const stream = new Blob([raw]).stream().pipeThrough(
      new DecompressionStream("gzip")
    );
    return parseIdx(new Uint8Array(await new Response(stream).arrayBuffer()), name);
  } catch (err) {
    if (err instanceof TypeError) {
      throw new Error(`${name}: corrupt or truncated gzip data (${err.message})`);
    }
    throw err;
  }
}
function encodeIdx(shape, data) {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = 8;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  encodeIdx,
  parseIdx,
  readIdx
});
//# sourceMappingURL=idx.js.map
