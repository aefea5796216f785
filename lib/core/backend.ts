/**
 * TensorFlow.js with its backend selected: every module and notebook imports `tf` from here (or,
 * inside lib/core, from ./tfjs.ts, the one module that imports the package).
 *
 * Backends, best first: `tensorflow` (tfjs-node, native TensorFlow), `wasm`, `cpu`.
 * `VQVAR_BACKEND=tensorflow|wasm|cpu` forces one; an unknown or unavailable forced backend
 * is an error rather than a silent fallback. On `tensorflow`, convolutions run on TensorFlow's
 * oneDNN kernels (lib/core/onednn.ts); `VQVAR_ONEDNN=0` keeps tfjs-node's stock ones.
 *
 * The choice is made synchronously when this module loads (no top-level `await`), so the
 * library also loads as CommonJS under Node (the tslab kernel). `tensorflow` and `cpu` are
 * ready at once; `wasm` finishes starting asynchronously: `await ready()` before using it.
 *
 * Works under Deno and Node: only `node:` built-ins and npm packages are used; the one
 * Deno-only call (muting native stderr while TensorFlow starts) is guarded.
 */
import process from "node:process";
import util from "node:util";
import { createRequire } from "node:module";
/** TensorFlow.js, with the backend chosen here already selected. */
import { tf } from "./tfjs.ts";
import { InputError } from "./errors.ts";
import { oneDnnKernelsInUse, oneDnnReroutes } from "./onednn.ts";
import { nativeReroutes } from "./native_kernels.ts";
import { installReroutes, type RerouteGroup, reroutes } from "./reroute.ts";
import type { NodeBackend } from "./tfjs_node.ts";
import { withNativeStderrMuted } from "./native_stderr.ts";

export { tf };

/** The backends this project knows, best first. */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
/** One of {@link BACKENDS}. */
export type BackendName = typeof BACKENDS[number];

// TensorFlow's C++ start-up log (oneDNN, CPU feature guard) goes to stderr unless this is
// set before libtensorflow loads. A user's own setting wins.
process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
// Each TensorFlow device gets its own intra-op thread pool, not one pool shared by the process:
// so that a graph's session (lib/core/graph/graph_function.ts) can run on as many threads as
// its work needs (small graphs on one, GraphOptions.threads). Read once, when TensorFlow makes
// its first device. A user's own setting wins.
process.env.TF_OVERRIDE_GLOBAL_THREADPOOL ??= "1";

// tfjs-node 4.x calls util.isNullOrUndefined, which Node removed in v23 and Deno never had.
const nodeUtil = util as unknown as Record<string, unknown>;
if (typeof nodeUtil.isNullOrUndefined !== "function") {
  nodeUtil.isNullOrUndefined = (v: unknown) => v === null || v === undefined;
}

const requireHere = createRequire(import.meta.url);
const failures: Partial<Record<BackendName, string>> = {};
let nativeVersions: Record<string, string> = {};
let starting: Promise<boolean> = Promise.resolve(true);

/** Registers and selects a backend; false (with the reason in `failures`) if it cannot. */
function register(name: BackendName): boolean {
  try {
    if (name === "tensorflow") {
      const node = requireHere("@tensorflow/tfjs-node") as { version: Record<string, string> };
      nativeVersions = { "tfjs-node": node.version["tfjs-node"] };
    } else if (name === "wasm") {
      const wasm = requireHere("@tensorflow/tfjs-backend-wasm") as {
        setWasmPaths(path: string): void;
      };
      // Node and Deno read the .wasm files from disk next to the package's main file.
      const dist = requireHere.resolve("@tensorflow/tfjs-backend-wasm").replace(/[^/\\]+$/, "");
      wasm.setWasmPaths(dist);
    }
    // Backends whose factory is synchronous (tensorflow, cpu) are selected before
    // setBackend's promise settles; wasm compiles its module first (see `ready`).
    starting = tf.setBackend(name);
    if (name === "wasm") return true;
    if (tf.getBackend() !== name) throw new Error(`tf.setBackend("${name}") did not select it`);
    return true;
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    // A missing Deno permission is not a reason to fall back to a slower backend silently.
    if (/^Requires \w+ access/.test(why)) {
      throw new Error(`the ${name} backend cannot start: ${why} (tests: deno test -P)`);
    }
    failures[name] = why;
    return false;
  }
}

function requestedBackend(): BackendName | undefined {
  const raw = process.env.VQVAR_BACKEND?.trim();
  if (!raw) return undefined;
  if (!(BACKENDS as readonly string[]).includes(raw)) {
    throw new InputError(
      `VQVAR_BACKEND=${raw} is not a backend; use one of ${BACKENDS.join(", ")}`,
    );
  }
  return raw as BackendName;
}

const forced = requestedBackend();
let chosen: BackendName | undefined;
for (const name of forced ? [forced] : BACKENDS) {
  // TensorFlow >= 2.18 logs "oneDNN custom operations are on" through absl while it starts,
  // ignoring TF_CPP_MIN_LOG_LEVEL: start it with native stderr muted.
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
// On tensorflow, faster TensorFlow kernels for some tfjs kernels (lib/core/reroute.ts), each
// probed: oneDNN's convolutions and matMuls (lib/core/onednn.ts) unless VQVAR_ONEDNN=0, and
// TensorFlow ops tfjs lacks plus a leaner Reshape (lib/core/native_ops.ts) unless
// VQVAR_NATIVE_OPS=0.
if (chosen === "tensorflow") {
  const node = tf.findBackend("tensorflow") as unknown as NodeBackend;
  const off: Partial<Record<RerouteGroup, string>> = {};
  if (process.env.VQVAR_ONEDNN?.trim() === "0") off.onednn = "VQVAR_ONEDNN=0";
  if (process.env.VQVAR_NATIVE_OPS?.trim() === "0") off.native = "VQVAR_NATIVE_OPS=0";
  installReroutes([...oneDnnReroutes(node), ...nativeReroutes(node)], off);
}
// The cpu backend greets Node users with an advertisement on its first tensor, also when it
// is only a fallback that a test or benchmark switches to.
const cpuBackend = tf.findBackend("cpu") as unknown as { firstUse: boolean } | null;
if (cpuBackend) cpuBackend.firstUse = false;

/** Name of the backend in use: `tensorflow`, `wasm` or `cpu`. */
export const backendName: BackendName = chosen;

/** Why better backends than the one in use could not start (empty when the best one did). */
export const backendFailures: Readonly<Partial<Record<BackendName, string>>> = failures;

/**
 * Resolves with the backend's name once it can compute. `tensorflow` and `cpu` are ready as
 * soon as this module has loaded; `wasm` compiles its module first, so await this before
 * using it. Rejects if the backend failed to start.
 *
 * @example
 * ```ts
 * import { ready } from "./backend.ts";
 * console.log(`computing on ${await ready()}`);
 * ```
 */
export async function ready(): Promise<BackendName> {
  if (!(await starting)) throw new Error(`the ${backendName} backend failed to start`);
  await tf.ready();
  return backendName;
}

/** Versions worth printing in a report: tfjs, the runtime, and the native TensorFlow. */
export function versions(): Record<string, string> {
  const v: Record<string, string> = { tfjs: tf.version.tfjs, backend: backendName };
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  if (deno) v.deno = deno.version.deno;
  else v.node = process.versions.node;
  if (backendName === "tensorflow") {
    const binding = (tf.backend() as unknown as { binding: { TF_Version: string } }).binding;
    Object.assign(v, nativeVersions, {
      tensorflow: binding.TF_Version,
      convolutions: oneDnnKernelsInUse() ? "oneDNN" : "Eigen (tfjs-node's stock kernels)",
      ...rerouteReport(),
    });
  }
  return v;
}

/**
 * `rerouted`: the tfjs kernels running a faster TensorFlow kernel, by switch; `reroutesOff` and
 * `reroutesFailed`: those that do not, and why (a failed probe falls back to the stock kernel).
 */
function rerouteReport(): Record<string, string> {
  const all = reroutes();
  const out: Record<string, string> = {
    rerouted: (["onednn", "native"] as const).map((g) =>
      `${g}: ${all.filter((r) => r.group === g && r.state === "on").length}`
    ).join(", "),
  };
  const off = [...new Set(all.filter((r) => r.state === "off").map((r) => r.why))].join(", ");
  if (off) out.reroutesOff = off;
  const failed = all.filter((r) => r.state === "failed").map((r) => `${r.kernel}: ${r.why}`)
    .join("; ");
  if (failed) out.reroutesFailed = failed;
  return out;
}
