/**
 * The one registry of what this library swaps into tfjs-node: each {@link Reroute} replaces (or
 * adds) one tfjs kernel of the `tensorflow` backend so that it runs a faster TensorFlow kernel.
 *
 * Each entry is probed when it is installed: a small input goes through the rerouted kernel
 * (through tfjs's registry, as every op does) and through the stock one, and the entry stays
 * only if the results agree **and** its call counter moved — proof that the rerouted TensorFlow
 * kernel ran, not a silent fall-through to the stock one. An entry that fails its probe is
 * removed again (the stock kernel is back) and {@link reroutes} says why; `versions()` of
 * lib/core/backend.ts reports the same.
 *
 * Rerouting applies to float32 inputs only; any other dtype goes to the stock kernel.
 * Two switches, read by lib/core/backend.ts when the library loads: `VQVAR_ONEDNN=0` (group
 * `onednn`, lib/core/onednn.ts) and `VQVAR_NATIVE_OPS=0` (group `native`, lib/core/native_ops.ts);
 * {@link setReroutes} turns either group off or on again at run time.
 */
import { tf } from "./tfjs.ts";

/** The switch an entry belongs to: `onednn` (`VQVAR_ONEDNN`) or `native` (`VQVAR_NATIVE_OPS`). */
export type RerouteGroup = "onednn" | "native";

/** One tfjs kernel of the tensorflow backend, rerouted. */
export interface Reroute {
  /** The tfjs kernel it registers: a stock kernel it replaces, or a new one (`Vqvar…`). */
  kernel: string;
  /** The TensorFlow kernel that runs instead, for reports. */
  runs: string;
  group: RerouteGroup;
  /**
   * The rerouted kernel function, given the stock one (absent for a new kernel). It calls
   * `ran()` each time it runs the rerouted TensorFlow kernel, and hands every input that is not
   * all float32 to `stock`.
   */
  make(stock: tf.KernelFunc | undefined, ran: () => void): tf.KernelFunc;
  /** A small case for the probe: the kernel's inputs and attributes. */
  probe(): { inputs: tf.NamedTensorMap; attrs?: tf.NamedAttrMap };
  /** For a new kernel (no stock one), the same math in tfjs ops, to probe against. */
  reference?(inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor;
}

/** What became of one entry. */
export interface RerouteState {
  /** The tfjs kernel. */
  kernel: string;
  /** The TensorFlow kernel that runs instead. */
  runs: string;
  /** Its switch. */
  group: RerouteGroup;
  /** `on`: in use; `off`: its switch is off; `failed`: its probe failed (stock in use). */
  state: "on" | "off" | "failed";
  /** Why it failed, or which switch turned it off. */
  why?: string;
  /** How many times the rerouted TensorFlow kernel has run (probe included). */
  calls: number;
}

const BACKEND = "tensorflow";
const states = new Map<string, RerouteState>();
const stocks = new Map<string, tf.KernelConfig | undefined>();
/** Every entry `installReroutes` was given, switched off or not, by kernel. */
const entries = new Map<string, Reroute>();
/** The rerouted kernel of an entry turned off by `setReroutes`, to register again. */
const parked = new Map<string, tf.KernelConfig>();

/** True when every tensor is float32: the only inputs a reroute takes. */
export function allFloat32(inputs: tf.NamedTensorInfoMap | tf.TensorInfo[]): boolean {
  return Object.values(inputs).every((t) => !t || (t as tf.TensorInfo).dtype === "float32");
}

/** Whether `kernel` is rerouted and in use. */
export function rerouted(kernel: string): boolean {
  return states.get(kernel)?.state === "on";
}

/** Every entry installed or refused so far, in order. */
export function reroutes(): readonly Readonly<RerouteState>[] {
  return [...states.values()];
}

const close = (a: Float32Array | Int32Array | Uint8Array, b: typeof a) => {
  if (a.length !== b.length) return false;
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  return a.every((v, i) => Math.abs(v - b[i]) <= 1e-4 * scale);
};

/** Runs the entry's probe case through whatever `kernel` is registered now. */
function runProbe(entry: Reroute, viaReference: boolean) {
  return tf.tidy(() => {
    const { inputs, attrs = {} } = entry.probe();
    const out = viaReference
      ? entry.reference!(inputs, attrs)
      : tf.engine().runKernel(entry.kernel, inputs, attrs) as tf.Tensor;
    return { values: out.dataSync(), shape: out.shape };
  });
}

/** Puts the stock kernel back (or removes a new one). */
function restore(kernel: string) {
  if (tf.getKernel(kernel, BACKEND)) tf.unregisterKernel(kernel, BACKEND);
  const stock = stocks.get(kernel);
  if (stock) tf.registerKernel(stock);
}

/** Takes an entry in use off: the stock kernel back; returns the rerouted one, to put back. */
function park(state: RerouteState): tf.KernelConfig {
  const mine = tf.getKernel(state.kernel, BACKEND)!;
  restore(state.kernel);
  state.state = "off";
  return mine;
}

/** Puts the rerouted kernel `mine` of a parked entry back in place of whatever is there. */
function unpark(state: RerouteState, mine: tf.KernelConfig): void {
  if (tf.getKernel(state.kernel, BACKEND)) tf.unregisterKernel(state.kernel, BACKEND);
  tf.registerKernel(mine);
  state.state = "on";
  delete state.why;
}

/** Installs `entry` and probes it; returns (and records) its state. */
function install(entry: Reroute): RerouteState {
  const stock = tf.getKernel(entry.kernel, BACKEND);
  stocks.set(entry.kernel, stock);
  const state: RerouteState = { ...pick(entry), state: "on", calls: 0 };
  states.set(entry.kernel, state);
  if (!stock && !entry.reference) return fail(state, `tfjs-node has no ${entry.kernel} kernel`);
  try {
    const want = runProbe(entry, !stock);
    const kernelFunc = entry.make(stock?.kernelFunc, () => state.calls++);
    if (stock) tf.unregisterKernel(entry.kernel, BACKEND);
    tf.registerKernel({ ...stock, kernelName: entry.kernel, backendName: BACKEND, kernelFunc });
    const got = runProbe(entry, false);
    if (state.calls === 0) {
      return fail(state, `its probe ran the stock kernel, not ${entry.runs}`);
    }
    if (got.shape.join() !== want.shape.join() || !close(got.values, want.values)) {
      return fail(state, `its probe disagreed with the stock kernel`);
    }
  } catch (err) {
    return fail(state, `its probe threw: ${(err as Error).message.split("\n")[0]}`);
  }
  return state;
}

function fail(state: RerouteState, why: string): RerouteState {
  restore(state.kernel);
  return Object.assign(state, { state: "failed", why });
}

const pick = ({ kernel, runs, group }: Reroute) => ({ kernel, runs, group });

/**
 * Installs the entries of `list` on the tensorflow backend, each probed; an entry whose group is switched
 * off (`off[group]` names the switch) is recorded as off and changes nothing. Entries already
 * installed are left as they are. Returns the states of these entries.
 */
export function installReroutes(
  list: Reroute[],
  off: Partial<Record<RerouteGroup, string>> = {},
): RerouteState[] {
  if (!tf.findBackend(BACKEND)) return [];
  return list.map((entry) => {
    entries.set(entry.kernel, entry);
    const known = states.get(entry.kernel);
    if (known && known.state !== "off") return known;
    const why = off[entry.group];
    if (why) {
      const state: RerouteState = { ...pick(entry), state: "off", why, calls: 0 };
      states.set(entry.kernel, state);
      return state;
    }
    return install(entry);
  });
}

/**
 * Turns groups of reroutes off (the stock kernels back, exactly as tfjs-node registers them) or
 * on again, at run time: `{ onednn: false }` for tfjs-node's own convolutions and matMul,
 * `{ native: false }` for tfjs's own ops and stock `Reshape`. A group left out is left as it is.
 * An entry switched off since the library loaded (`VQVAR_ONEDNN=0`, `VQVAR_NATIVE_OPS=0`) is
 * installed and probed when turned on; one whose probe failed stays off. Returns every entry's
 * state ({@link reroutes}); each entry's `calls` counts the runs of its TensorFlow kernel, so a
 * count that does not move shows that the stock kernel ran. No effect off the tensorflow backend.
 *
 * @example
 * ```ts
 * import { setReroutes, tf } from "vqvar";
 * setReroutes({ onednn: false, native: false }); // tfjs-node as it comes
 * const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
 * const y = tf.tidy(() => tf.conv2d(x, w, 1, "same").sum());
 * setReroutes({ onednn: true, native: true }); // vqvar's kernels again
 * tf.dispose([x, w, y]);
 * ```
 */
export function setReroutes(
  groups: Partial<Record<RerouteGroup, boolean>>,
): readonly Readonly<RerouteState>[] {
  for (const [kernel, entry] of entries) {
    const want = groups[entry.group];
    const state = states.get(kernel);
    if (want === undefined || !state) continue;
    if (!want && state.state === "on") {
      parked.set(kernel, park(state));
      state.why = "setReroutes";
    } else if (want && state.state === "off") {
      const mine = parked.get(kernel);
      if (!mine) {
        states.delete(kernel); // off since load: install and probe it now
        install(entry);
        continue;
      }
      unpark(state, mine);
      parked.delete(kernel);
    }
  }
  return reroutes();
}

/**
 * Runs `fn` with `kernel`'s stock kernel (or, for a new kernel, without it: its callers' tfjs
 * fallback), then reroutes it again: for tests of the stock path.
 */
export function withStockKernel<T>(kernel: string, fn: () => T): T {
  const state = states.get(kernel);
  if (state?.state !== "on" || !tf.getKernel(kernel, BACKEND)) return fn();
  const mine = park(state);
  try {
    return fn();
  } finally {
    unpark(state, mine);
  }
}

/** Takes `kernel`'s entry out again (its stock kernel back), as if never installed: for tests. */
export function removeReroute(kernel: string): void {
  if (states.get(kernel)?.state === "on") restore(kernel);
  states.delete(kernel);
  stocks.delete(kernel);
  entries.delete(kernel);
  parked.delete(kernel);
}
