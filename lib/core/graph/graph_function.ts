/**
 * A function of tensors run as one TensorFlow graph per call: the step-as-a-graph of
 * tfjs-node, traced from the same code that runs eagerly.
 *
 * tfjs runs every op as its own call into TensorFlow (tens of microseconds of JavaScript and
 * binding work each, with TensorFlow's threads waking for each op); a training step of our
 * transformer is ~1,000 such calls. {@link GraphFunction} records the ops of one call (they run
 * as usual: the first calls are eager), checks on a second call that the recording repeats, and
 * from then on runs the recording as one TensorFlow session call: one binding call per step,
 * TensorFlow's graph optimiser (grappler: constant folding, op fusion) and independent ops on
 * both cores at once. PyTorch's counterpart is `torch.compile`; TensorFlow's is `tf.function`.
 *
 * What a function may do: read tensors made before the call (variables are read at each run,
 * other tensors are held as they were), update variables (`assign`), and return tensors. What
 * it may not do: depend on JavaScript values that change from call to call. That is checked:
 * the second trace must match the first (same ops, same attributes, same constants, inputs from
 * the same places), else the function stays eager for that input signature and
 * {@link GraphFunction.why} says why. Per-call numbers (a learning rate, a step count, dropped
 * labels) are passed in as tensors. Values the function reads back during the call (`dataSync`,
 * and tfjs-node's own index checks of `gather`) are read while it is traced, not when it runs
 * as a graph: a check there is TensorFlow's own then (an index out of range is an error from
 * the graph's `GatherV2`).
 *
 * Only on the `tensorflow` backend; elsewhere, and with {@link setGraphs}`(false)` or
 * `VQVAR_GRAPHS=0`, every call is eager (the fallback and the reference: same numbers to float
 * rounding).
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { tf } from "../tfjs.ts";
import type { NodeBackend } from "../tfjs_node.ts";
import { LruCache } from "../lru.ts";
import { registerTensorCache } from "../tensor_caches.ts";
import { buildGraph, type BuiltGraph, type Feed, GraphError } from "./saved_model.ts";
import { isTracing, type Trace, traceCall } from "./trace.ts";

// (`process.env` is absent in the web page's bundle, where every call is eager anyway.)
let enabled = process.env?.VQVAR_GRAPHS !== "0";

/**
 * Turns graph execution of {@link GraphFunction}s on or off (initially on unless
 * `VQVAR_GRAPHS=0`); off, every call runs eagerly. Returns the previous setting.
 */
export function setGraphs(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Whether {@link GraphFunction}s run as graphs (see {@link setGraphs}). */
export function graphsEnabled(): boolean {
  return enabled;
}

/** Tensors held by the loaded graphs of every GraphFunction (their inputs made before a call). */
let heldTensors = 0;
registerTensorCache("graph inputs", () => heldTensors);

/** Graphs one {@link GraphFunction} keeps by default, one per input signature (key, shapes, dtypes). */
export const GRAPH_CACHE_MAX = 8;

/** Options of a {@link GraphFunction}. */
export interface GraphOptions {
  /** Graphs kept, least recently used out (default {@link GRAPH_CACHE_MAX}). */
  maxGraphs?: number;
  /**
   * Threads of a graph's own pools (TensorFlow's intra- and inter-op parallelism), given its
   * inputs; 0 or absent: TensorFlow's process-wide pools (one thread per core). Small graphs
   * run faster on one thread: handing each small op to sleeping threads costs more than the op.
   */
  threads?: (inputs: tf.Tensor[]) => number;
}

/** What a {@link GraphFunction} has done so far. */
export interface GraphCalls {
  /** Calls run eagerly (traced or not). */
  eager: number;
  /** Calls run as a graph. */
  graph: number;
  /** Graphs built (one per input signature). */
  built: number;
}

/** One input signature's state: traced once, checked, then a loaded graph (or eager for good). */
interface Entry {
  first?: Traced;
  graph?: Loaded;
  eagerWhy?: string;
}

/** A graph loaded into a TensorFlow session, with what feeds it. */
interface Loaded extends Omit<BuiltGraph, "savedModel"> {
  session: number;
  /** Variables the call updated, and the fetch (after the results) of each one's new value. */
  updates: tf.Variable[];
  /** Tensors held for the feeds that are not variables (freed with the graph). */
  held: tf.Tensor[];
  feedTensors: (tf.TensorInfo | undefined)[];
  feedNames: string;
  fetchNames: string;
  results: number;
}

interface SessionBackend extends NodeBackend {
  deleteSavedModel(id: number): void;
  binding: NodeBackend["binding"] & {
    runSavedModel(id: number, ids: number[], feeds: string, fetches: string): unknown[];
    loadSavedModel(dir: string, tags: string, threads: number): number;
    tensorDataSync(id: number): Float32Array | Int32Array | Uint8Array;
  };
}

/**
 * A function of tensors that runs as one TensorFlow graph per call once it has been traced
 * and checked (the first two calls of each input signature run eagerly). See the module's
 * documentation for what the function may do.
 *
 * @example
 * ```ts
 * import { GraphFunction, tf } from "vqvar";
 * import { assertAlmostEquals } from "@std/assert";
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const step = new GraphFunction(([x]: tf.Tensor[]) => {
 *   tf.tidy(() => w.assign(w.add(x)));
 *   return [w.sum()];
 * });
 * const x = tf.tensor1d([1, 1]);
 * for (let i = 0; i < 4; i++) tf.dispose(step.call([x])); // calls 3 and 4 run as a graph
 * assertAlmostEquals(w.dataSync()[1], 6);
 * step.dispose();
 * ```
 */
export class GraphFunction {
  private readonly entries: LruCache<Entry>;
  private readonly counts: GraphCalls = { eager: 0, graph: 0, built: 0 };
  private lastWhy?: string;
  private readonly threads: GraphOptions["threads"];

  /**
   * `fn` takes the call's input tensors and returns its result tensors (the caller frees them).
   * `maxGraphs` (default {@link GRAPH_CACHE_MAX}): graphs kept, least recently used out.
   */
  constructor(
    private readonly fn: (inputs: tf.Tensor[]) => tf.Tensor[],
    { maxGraphs = GRAPH_CACHE_MAX, threads }: GraphOptions = {},
  ) {
    this.threads = threads;
    this.entries = new LruCache<Entry>({ maxEntries: maxGraphs, evict: (e) => this.free(e) });
  }

  /**
   * Runs the function on `inputs`: as a graph when it can, else eagerly. `key` names what else
   * the function's ops depend on besides its inputs' shapes and dtypes (a step number it reads
   * from a field, say): each key gets its own graphs.
   */
  call(inputs: tf.Tensor[], key = ""): tf.Tensor[] {
    const backend = tf.getBackend() === "tensorflow"
      ? tf.backend() as unknown as SessionBackend
      : undefined;
    if (!enabled || !backend || isTracing()) return this.eager(inputs);
    const signature = `${key} ${inputs.map((t) => `${t.dtype}[${t.shape}]`).join(" ")}`;
    let entry = this.entries.get(signature);
    if (!entry) this.entries.set(signature, entry = {});
    if (entry.graph) return this.replay(backend, entry.graph, inputs);
    if (entry.eagerWhy) return this.eager(inputs);
    const trace = this.trace(backend, inputs);
    if (!entry.first) {
      entry.first = trace;
      return trace.result;
    }
    try {
      check(entry.first, trace, (id) => backend.binding.tensorDataSync(id));
      entry.graph = this.load(backend, trace, this.threads?.(inputs));
      this.counts.built++;
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      entry.eagerWhy = this.lastWhy = err.message;
    }
    entry.first = undefined;
    return trace.result;
  }

  /** Calls so far, by how they ran. */
  get calls(): GraphCalls {
    return { ...this.counts };
  }

  /** Why the last input signature that could not become a graph stays eager (else undefined). */
  get why(): string | undefined {
    return this.lastWhy;
  }

  /** Frees the graphs (the function can still be called: it traces again). */
  dispose(): void {
    this.entries.clear();
  }

  /** One eager call, untraced. */
  private eager(inputs: tf.Tensor[]): tf.Tensor[] {
    this.counts.eager++;
    return this.fn(inputs);
  }

  /** One eager call, traced, with the variables it updated. */
  private trace(backend: SessionBackend, inputs: tf.Tensor[]): Traced {
    this.counts.eager++;
    const args = backend.getInputTensorIds(inputs);
    const before = variableIds(backend);
    const trace = traceCall(backend, () => this.fn(inputs));
    const updated = [...variableIds(backend)].filter(([v, id]) => before.get(v) !== id);
    return Object.assign(trace, { args, updated: updated.map(([v]) => v) });
  }

  /** The graph of a checked trace, loaded into a TensorFlow session. */
  private load(backend: SessionBackend, trace: Traced, threads?: number): Loaded {
    const updates = trace.updated;
    const outputs = [...trace.result, ...updates].map((t) => backend.getInputTensorIds([t])[0]);
    const built = buildGraph(
      trace,
      trace.args,
      outputs,
      (id) => backend.binding.tensorDataSync(id),
    );
    const held: tf.Tensor[] = [];
    const feedTensors = built.feeds.map((f: Feed) => {
      if (f.tensor === undefined) return undefined;
      if (f.tensor instanceof tf.Variable) return f.tensor;
      if (!(f.tensor instanceof tf.Tensor)) throw new GraphError("an input is not a tensor");
      const copy = tf.keep(f.tensor.clone());
      held.push(copy);
      heldTensors++;
      return copy;
    });
    let session: number;
    try {
      session = loadSavedModel(backend, built.savedModel, threads);
    } catch (err) {
      tf.dispose(held);
      heldTensors -= held.length;
      throw err;
    }
    const { savedModel: _, ...graph } = built; // the file's bytes are not needed once loaded
    return {
      ...graph,
      session,
      updates,
      held,
      feedTensors,
      feedNames: built.feeds.map((f) => f.name).join(","),
      fetchNames: built.fetches.join(","),
      results: trace.result.length,
    };
  }

  /** One call as the graph `g`: its results, the variables it updates assigned. */
  private replay(backend: SessionBackend, g: Loaded, inputs: tf.Tensor[]): tf.Tensor[] {
    this.counts.graph++;
    const feeds = g.feeds.map((f, i) => g.feedTensors[i] ?? inputs[f.arg!]);
    const out = backend.binding.runSavedModel(
      g.session,
      backend.getInputTensorIds(feeds),
      g.feedNames,
      g.fetchNames,
    ).map((m) => backend.createOutputTensor(m));
    g.updates.forEach((v, i) => {
      const t = out[g.results + i];
      v.assign(t);
      t.dispose();
    });
    return out.slice(0, g.results);
  }

  /** Frees an input signature's graph (a trace's results are the caller's). */
  private free(e: Entry): void {
    if (!e.graph) return;
    const backend = tf.backend() as unknown as SessionBackend;
    backend.deleteSavedModel(e.graph.session);
    tf.dispose(e.graph.held);
    heldTensors -= e.graph.held.length;
  }
}

/**
 * Loads a SavedModel's bytes into a TensorFlow session through a temporary folder (tfjs-node
 * loads from files only; the folder is removed at once). A GraphError when it cannot: no
 * permission to write there (Deno's `deno test` without `-P`), or TensorFlow refuses the graph.
 */
function loadSavedModel(backend: SessionBackend, bytes: Uint8Array, threads?: number): number {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), "vqvar-graph-"));
    writeFileSync(join(dir, "saved_model.pb"), bytes);
  } catch (err) {
    throw new GraphError(`cannot write the graph to ${tmpdir()}: ${(err as Error).message}`);
  }
  try {
    // `threads` (scripts/env/tfjs-node-binding.patch): the session's own pools of that many
    // threads; an unpatched binding ignores the argument.
    return backend.binding.loadSavedModel(dir, "serve", threads ?? 0);
  } catch (err) {
    throw new GraphError(`TensorFlow did not load the graph: ${(err as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every registered variable's native id. */
function variableIds(backend: SessionBackend): Map<tf.Variable, number> {
  const vars = Object.values(tf.engine().registeredVariables) as tf.Variable[];
  return new Map(vars.map((v) => [v, backend.getInputTensorIds([v])[0]]));
}

/** A trace of one call, with its arguments' native ids and the variables it updated. */
type Traced = Trace<tf.Tensor[]> & { args: number[]; updated: tf.Variable[] };

/** Where an op input of a trace comes from. */
type Source =
  | { made: string } // an earlier op's output `op:k`
  | { arg: number }
  | { tensor?: tf.TensorInfo; values?: ArrayLike<number> }; // made before the call, or a constant

/**
 * Where each op input of a trace comes from: an earlier op's output, an argument, a tensor made
 * before the call, or a constant (made during the call from JavaScript values; tfjs-node also
 * uploads a tensor made earlier when an op first reads it, so a tensor may be a constant of the
 * first trace and a tensor made before the call in the second).
 */
function sources(t: Traced, read: (id: number) => ArrayLike<number>): Source[][] {
  const made = new Map<number, string>();
  t.ops.forEach((op, i) => op.outputs.forEach((o, k) => made.set(o.id, `${i}:${k}`)));
  return t.ops.map((op) =>
    op.inputs.map((id): Source => {
      const m = made.get(id);
      if (m) return { made: m };
      if (t.args.includes(id)) return { arg: t.args.indexOf(id) };
      const tensor = t.inputs.get(id);
      // Neither a tfjs tensor nor made in the call: tfjs-node's cached shapes (read, they are small).
      return { tensor, values: t.constants.get(id)?.values ?? (tensor ? undefined : read(id)) };
    })
  );
}

/** Whether two sources are the same input: same op output, argument, tensor or values. */
function sameSource(p: Source, q: Source): boolean {
  if ("made" in p || "made" in q) return "made" in p && "made" in q && p.made === q.made;
  if ("arg" in p || "arg" in q) return "arg" in p && "arg" in q && p.arg === q.arg;
  if (p.tensor !== undefined && p.tensor === q.tensor) return true;
  return p.values !== undefined && q.values !== undefined && sameValues(p.values, q.values);
}

/**
 * Throws a GraphError unless `b` ran the same ops as `a`, with the same attributes, on inputs
 * from the same places (the same constants, arguments and tensors made before the call).
 */
function check(a: Traced, b: Traced, read: (id: number) => ArrayLike<number>): void {
  if (a.ops.length !== b.ops.length) {
    throw new GraphError(`the calls ran ${a.ops.length} and ${b.ops.length} ops`);
  }
  const sa = sources(a, read), sb = sources(b, read);
  for (let i = 0; i < a.ops.length; i++) {
    const x = a.ops[i], y = b.ops[i];
    if (x.op !== y.op || JSON.stringify(x.attrs) !== JSON.stringify(y.attrs)) {
      throw new GraphError(`op ${i} differs between calls (${x.op}, ${y.op})`);
    }
    if (!sa[i].every((p, k) => sameSource(p, sb[i][k]))) {
      throw new GraphError(
        `op ${i} (${x.op}) reads a value that changed between calls (made in JavaScript, or a tensor made outside the call): pass it as an input tensor`,
      );
    }
  }
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  }
  return true;
}
