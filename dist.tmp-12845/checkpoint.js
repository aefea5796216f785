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

// lib/checkpoint.ts
var checkpoint_exports = {};
__export(checkpoint_exports, {
  CHECKPOINT_FORMAT: () => CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION: () => CHECKPOINT_VERSION,
  loadCheckpoint: () => loadCheckpoint,
  loadWeightsInto: () => loadWeightsInto,
  readCheckpointManifest: () => readCheckpointManifest,
  saveCheckpoint: () => saveCheckpoint
});
module.exports = __toCommonJS(checkpoint_exports);
var import_promises = require("node:fs/promises");
var import_backend = require("./backend.js");
var import_vqvae = require("./vqvae.js");
var CHECKPOINT_FORMAT = "vqvar-checkpoint";
var CHECKPOINT_VERSION = 1;
async function sha256Hex(data) {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
async function saveCheckpoint(dir, model, metrics = {}, { beforeCommit } = {}) {
  await (0, import_promises.mkdir)(dir, { recursive: true });
  const named = [...model.variables()].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await import_backend.tf.io.encodeWeights(named);
  const weightsFile = `weights-${(await sha256Hex(data)).slice(0, 16)}.bin`;
  await (0, import_promises.writeFile)(`${dir}/${weightsFile}`, new Uint8Array(data));
  const manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: model.config,
    metrics,
    weightsManifest: [{ paths: [weightsFile], weights: specs }]
  };
  const tmp = `${dir}/checkpoint.json.tmp-${crypto.randomUUID()}`;
  await (0, import_promises.writeFile)(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await beforeCommit?.();
  await (0, import_promises.rename)(tmp, `${dir}/checkpoint.json`);
  for (const f of await (0, import_promises.readdir)(dir)) {
    if (/^weights-[0-9a-f]+\.bin$/.test(f) && f !== weightsFile) await (0, import_promises.rm)(`${dir}/${f}`);
  }
}
async function readCheckpointManifest(dir) {
  let text;
  try {
    text = await (0, import_promises.readFile)(`${dir}/checkpoint.json`, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") {
      throw new Error(`${dir}: no checkpoint.json (not a vqvar checkpoint folder)`);
    }
    throw err;
  }
  let m;
  try {
    m = JSON.parse(text);
  } catch {
    throw new Error(`${dir}/checkpoint.json is not valid JSON (corrupt checkpoint)`);
  }
  if (m.format !== CHECKPOINT_FORMAT || m.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `${dir}: format ${m.format} v${m.version}, expected ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION}`
    );
  }
  return m;
}
async function loadWeightsInto(dir, model) {
  const m = await readCheckpointManifest(dir);
  const group = m.weightsManifest[0];
  const bytes = await (0, import_promises.readFile)(`${dir}/${group.paths[0]}`);
  const expected = group.weights.reduce(
    (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4,
    0
  );
  if (bytes.byteLength !== expected) {
    throw new Error(
      `${dir}/${group.paths[0]}: ${bytes.byteLength} bytes, the manifest needs ${expected} (truncated?)`
    );
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const weights = import_backend.tf.io.decodeWeights(buffer, group.weights);
  try {
    const vars = model.variables();
    const missing = [...vars.keys()].filter((k) => !(k in weights));
    const extra = Object.keys(weights).filter((k) => !vars.has(k));
    if (missing.length || extra.length) {
      throw new Error(
        `checkpoint ${dir} does not match the model: missing [${missing.join(", ")}], unexpected [${extra.join(", ")}]`
      );
    }
    for (const [name, v] of vars) {
      const w = weights[name];
      if (w.shape.join() !== v.shape.join()) {
        throw new Error(
          `checkpoint ${dir} does not match the model: ${name} is [${w.shape}], the model has [${v.shape}]`
        );
      }
    }
    for (const [name, v] of vars) v.assign(weights[name]);
  } finally {
    import_backend.tf.dispose(Object.values(weights));
  }
  return m;
}
async function loadCheckpoint(dir) {
  const manifest = await readCheckpointManifest(dir);
  const model = (0, import_vqvae.createModel)(manifest.config);
  try {
    await loadWeightsInto(dir, model);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, manifest };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  loadCheckpoint,
  loadWeightsInto,
  readCheckpointManifest,
  saveCheckpoint
});
//# sourceMappingURL=checkpoint.js.map
