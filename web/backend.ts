/// <reference lib="dom" />
/**
 * The browser's stand-in for `lib/core/backend.ts` (the web build swaps it in): TensorFlow.js
 * with the best browser backend that starts — `webgl`, else `wasm`, else `cpu` — or the one
 * named by the page's `?backend=` parameter. Same exports as the Node/Deno module, so every
 * `lib` module runs unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export { tf };

/** The backends a page can use, best first. */
export const BACKENDS = ["webgl", "wasm", "cpu"] as const;
/** One of {@link BACKENDS}. */
export type BackendName = typeof BACKENDS[number];

const failures: Partial<Record<BackendName, string>> = {};
// The .wasm files sit next to the page (the build copies them).
setWasmPaths(new URL("./", location.href).href);

async function start(name: BackendName): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) throw new Error("setBackend returned false");
    await tf.ready();
    // A backend may register and still fail its first kernel (a WebGL context without floats).
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync());
    return true;
  } catch (err) {
    failures[name] = err instanceof Error ? err.message : String(err);
    return false;
  }
}

const asked = new URLSearchParams(location.search).get("backend") as BackendName | null;
if (asked && !BACKENDS.includes(asked)) {
  throw new Error(`?backend=${asked} is not a backend; use one of ${BACKENDS.join(", ")}`);
}
let chosen: BackendName | undefined;
for (const name of asked ? [asked] : BACKENDS) {
  if (await start(name)) {
    chosen = name;
    break;
  }
}
if (!chosen) throw new Error(`no TensorFlow.js backend could start: ${JSON.stringify(failures)}`);

/** Name of the backend in use. */
export const backendName: BackendName = chosen;
/** Why better backends could not start. */
export const backendFailures: Readonly<Partial<Record<BackendName, string>>> = failures;

/**
 * The GPU behind WebGL as the browser names it (`WEBGL_debug_renderer_info`), when the backend
 * is `webgl`: e.g. "SwiftShader" when there is no GPU and WebGL is emulated on the CPU.
 */
export function webglRenderer(): string | undefined {
  if (backendName !== "webgl") return undefined;
  const gl = document.createElement("canvas").getContext("webgl");
  const info = gl?.getExtension("WEBGL_debug_renderer_info");
  return info ? String(gl!.getParameter(info.UNMASKED_RENDERER_WEBGL)) : undefined;
}

/** Resolves with the backend's name (it is ready once this module has loaded). */
export function ready(): Promise<BackendName> {
  return Promise.resolve(backendName);
}

/** Versions worth showing: tfjs and the backend. */
export function versions(): Record<string, string> {
  return { tfjs: tf.version.tfjs, backend: backendName, userAgent: navigator.userAgent };
}

/** No native stderr in a browser: runs `fn`. */
export function withNativeStderrMuted<T>(fn: () => T): T {
  return fn();
}
