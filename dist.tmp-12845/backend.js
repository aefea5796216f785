var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
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
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/backend.ts
var backend_exports = {};
__export(backend_exports, {
  BACKENDS: () => BACKENDS,
  backendFailures: () => backendFailures,
  backendName: () => backendName,
  ready: () => ready2,
  tf: () => tf,
  versions: () => versions
});
module.exports = __toCommonJS(backend_exports);
var import_node_process = __toESM(require("node:process"));
var import_node_util = __toESM(require("node:util"));
var import_node_module = require("node:module");
var tf = __toESM(require("@tensorflow/tfjs"));
var BACKENDS = ["tensorflow", "wasm", "cpu"];
import_node_process.default.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
var nodeUtil = import_node_util.default;
if (typeof nodeUtil.isNullOrUndefined !== "function") {
  nodeUtil.isNullOrUndefined = (v) => v === null || v === void 0;
}
var requireHere = (0, import_node_module.createRequire)(__vqvarModuleUrl);
var failures = {};
var nativeVersions = {};
var starting = Promise.resolve(true);
function register(name) {
  try {
    if (name === "tensorflow") {
      const node = requireHere("@tensorflow/tfjs-node");
      nativeVersions = { "tfjs-node": node.version["tfjs-node"] };
    } else if (name === "wasm") {
      const wasm = requireHere("@tensorflow/tfjs-backend-wasm");
      const dist = requireHere.resolve("@tensorflow/tfjs-backend-wasm").replace(/[^/\\]+$/, "");
      wasm.setWasmPaths(dist);
    }
    starting = tf.setBackend(name);
    if (name === "wasm") return true;
    if (tf.getBackend() !== name) throw new Error(`tf.setBackend("${name}") did not select it`);
    return true;
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    if (/^Requires \w+ access/.test(why)) {
      throw new Error(`the ${name} backend cannot start: ${why} (tests: deno test -P)`);
    }
    failures[name] = why;
    return false;
  }
}
function requestedBackend() {
  const raw = import_node_process.default.env.VQVAR_BACKEND?.trim();
  if (!raw) return void 0;
  if (!BACKENDS.includes(raw)) {
    throw new Error(
      `VQVAR_BACKEND=${raw} is not a backend; use one of ${BACKENDS.join(", ")}`
    );
  }
  return raw;
}
var forced = requestedBackend();
var chosen;
for (const name of forced ? [forced] : BACKENDS) {
  const ok = name === "tensorflow" ? withNativeStderrMuted(() => register(name)) : register(name);
  if (ok) {
    chosen = name;
    break;
  }
}
if (!chosen) {
  const why = Object.entries(failures).map(([k, v]) => `${k}: ${v}`).join("; ");
  throw new Error(`no TensorFlow.js backend could start (${why})`);
}
var cpuBackend = tf.findBackend("cpu");
if (cpuBackend) cpuBackend.firstUse = false;
var backendName = chosen;
var backendFailures = failures;
async function ready2() {
  if (!await starting) throw new Error(`the ${backendName} backend failed to start`);
  await tf.ready();
  return backendName;
}
function versions() {
  const v = { tfjs: tf.version.tfjs, backend: backendName };
  const deno = globalThis.Deno;
  if (deno) v.deno = deno.version.deno;
  else v.node = import_node_process.default.versions.node;
  if (backendName === "tensorflow") {
    const binding = tf.backend().binding;
    Object.assign(v, nativeVersions, { tensorflow: binding.TF_Version });
  }
  return v;
}
function withNativeStderrMuted(fn) {
  const deno = globalThis.Deno;
  if (!deno || deno.build.os !== "linux" || deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    return fn();
  }
  const libc = deno.dlopen("libc.so.6", {
    dup: { parameters: ["i32"], result: "i32" },
    dup2: { parameters: ["i32", "i32"], result: "i32" },
    close: { parameters: ["i32"], result: "i32" },
    open: { parameters: ["buffer", "i32"], result: "i32" }
  });
  const O_WRONLY = 1;
  const devNull = libc.symbols.open(new TextEncoder().encode("/dev/null\0"), O_WRONLY);
  const saved = libc.symbols.dup(2);
  try {
    if (devNull >= 0 && saved >= 0) libc.symbols.dup2(devNull, 2);
    return fn();
  } finally {
    if (saved >= 0) {
      libc.symbols.dup2(saved, 2);
      libc.symbols.close(saved);
    }
    if (devNull >= 0) libc.symbols.close(devNull);
    libc.close();
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  BACKENDS,
  backendFailures,
  backendName,
  ready,
  tf,
  versions
});
//# sourceMappingURL=backend.js.map
