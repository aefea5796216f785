/// <reference lib="dom" />
/**
 * The browser's stand-in for `lib/core/backend.ts` (the web build swaps it in; it runs in the
 * page's model worker, `worker.ts`, whose address carries the page's query): TensorFlow.js
 * with the fastest browser backend that starts — `webgl` on a GPU; without one (WebGL emulated
 * on the CPU) `wasm` — or the one named by the page's `?backend=` parameter. Same exports as the Node/Deno module, so every
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

/**
 * True when WebGL would run without a GPU (emulated on the CPU: SwiftShader, llvmpipe…), where
 * it is slower than wasm: the browser refuses a context that has a "major performance caveat",
 * or names a software renderer.
 */
function softwareWebgl(): boolean {
  // OffscreenCanvas: this module runs in the page's model worker, which has no document.
  const gl = new OffscreenCanvas(1, 1).getContext("webgl");
  if (!gl) return false; // no WebGL at all: webgl fails to start anyway
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  const fast = new OffscreenCanvas(1, 1).getContext("webgl", {
    failIfMajorPerformanceCaveat: true,
  });
  fast?.getExtension("WEBGL_lose_context")?.loseContext();
  return !fast || /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
}

const param = new URLSearchParams(location.search).get("backend");
/** The backend the address asks for, if it names one. */
const asked = BACKENDS.find((b) => b === param);
/** What is wrong with the address's `?backend=`, in words for the page; else undefined. */
export const backendProblem: string | undefined = param !== null && !asked
  ? `The address asks for backend “${param}”, which does not exist; ` +
    `the page chose one itself (the backends are ${BACKENDS.join(", ")}).`
  : undefined;
/** WebGL here would be emulated on the CPU (no GPU). */
export const noGpu: boolean = softwareWebgl();
// Measured without a GPU (bench/web_page.ts): wasm is the fastest there; with a GPU, WebGL.
const order: BackendName[] = asked
  ? [asked]
  : noGpu
  ? ["wasm", "webgl", "cpu"]
  : ["webgl", "wasm", "cpu"];
let chosen: BackendName | undefined;
for (const name of order) {
  if (await start(name)) {
    chosen = name;
    break;
  }
}
if (!chosen) {
  throw new Error(
    `no TensorFlow.js backend could start in this browser (${
      Object.entries(failures).map(([k, v]) => `${k}: ${v}`).join("; ")
    })`,
  );
}

/** Name of the backend in use. */
export const backendName: BackendName = chosen;
/** Why better backends could not start. */
export const backendFailures: Readonly<Partial<Record<BackendName, string>>> = failures;
/** True when the address chose the backend (`?backend=`), false when the page did. */
export const backendAsked: boolean = asked !== undefined;

/** Resolves with the backend's name (it is ready once this module has loaded). */
export function ready(): Promise<BackendName> {
  return Promise.resolve(backendName);
}

/** Versions worth showing: tfjs and the backend. */
export function versions(): Record<string, string> {
  return { tfjs: tf.version.tfjs, backend: backendName, userAgent: navigator.userAgent };
}
