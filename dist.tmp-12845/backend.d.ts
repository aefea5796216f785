import * as tf from "@tensorflow/tfjs";
export { tf };
/** The backends this project knows, best first. */
export declare const BACKENDS: readonly ["tensorflow", "wasm", "cpu"];
/** One of {@link BACKENDS}. */
export type BackendName = typeof BACKENDS[number];
/** Name of the backend in use: `tensorflow`, `wasm` or `cpu`. */
export declare const backendName: BackendName;
/** Why better backends than the one in use could not start (empty when the best one did). */
export declare const backendFailures: Readonly<Partial<Record<BackendName, string>>>;
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
export declare function ready(): Promise<BackendName>;
/** Versions worth printing in a report: tfjs, the runtime, and the native TensorFlow. */
export declare function versions(): Record<string, string>;
