/**
 * Recording what a call runs on tfjs-node's TensorFlow backend: every TensorFlow op it executes
 * (name, attributes, input and output tensor ids), every tensor it makes from JavaScript values
 * (a constant, for the graph), the tfjs tensor behind every op input, and every read of a
 * tensor's values back into JavaScript. lib/core/graph/saved_model.ts turns a trace into a graph.
 *
 * Every op of the `tensorflow` backend reaches TensorFlow through its binding's `executeOp`
 * (tfjs-node's kernels, and this library's reroutes, which look the binding up per call); the
 * recorder swaps the backend's binding for a copy that records, for the length of the call.
 *
 * @module
 */
import type { tf } from "../tfjs.ts";
import type { NodeBackend, NodeBinding, OpAttr } from "../tfjs_node.ts";

/** A native tensor's description as tfjs-node's binding returns it (dtype: TensorFlow's code). */
export interface TensorMeta {
  id: number;
  shape: number[];
  dtype: number;
}

/** One TensorFlow op the call ran. */
export interface TracedOp {
  op: string;
  attrs: OpAttr[];
  /** Native tensor ids of its inputs. */
  inputs: number[];
  outputs: TensorMeta[];
}

/** A tensor the call made from JavaScript values. */
export interface Constant {
  shape: number[];
  /** TensorFlow's dtype code. */
  dtype: number;
  values: Float32Array | Int32Array | Uint8Array;
}

/** What one traced call ran, and what it returned. */
export interface Trace<T> {
  result: T;
  ops: TracedOp[];
  /** Tensors made from JavaScript values during the call, by native id. */
  constants: Map<number, Constant>;
  /** The tfjs tensor behind each op input, by native id (as tfjs-node resolved it). */
  inputs: Map<number, tf.TensorInfo>;
  /** Native ids whose values the call read back into JavaScript. */
  reads: number[];
}

/** TensorFlow's dtype codes of tfjs's dtypes (`TF_DataType`). */
export const TF_DTYPES: Readonly<Record<string, number>> = {
  float32: 1,
  int32: 3,
  string: 7,
  complex64: 8,
  bool: 10,
};

/** The binding and the one backend method the recorder takes over. */
interface Recordable extends NodeBackend {
  binding: NodeBinding & {
    tensorDataSync(id: number): Float32Array | Int32Array | Uint8Array;
  };
}

let tracing = false;

/** Whether a trace is being recorded (traces do not nest). */
export function isTracing(): boolean {
  return tracing;
}

/**
 * Runs `fn` on `backend` (tfjs-node's), recording every op it executes. The ops run as usual:
 * the result is `fn`'s own. Traces do not nest.
 */
export function traceCall<T>(backend: NodeBackend, fn: () => T): Trace<T> {
  if (tracing) throw new Error("graph traces do not nest");
  const b = backend as Recordable;
  const real = b.binding;
  const ops: TracedOp[] = [];
  const constants = new Map<number, Constant>();
  const inputs = new Map<number, tf.TensorInfo>();
  const reads: number[] = [];
  const copy: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(real)) {
    const v = (real as unknown as Record<string, unknown>)[k];
    copy[k] = typeof v === "function" ? v.bind(real) : v;
  }
  copy.executeOp = (op: string, attrs: OpAttr[], ids: number[], n: number) => {
    const out = real.executeOp(op, attrs, ids, n) as TensorMeta[];
    ops.push({
      op,
      attrs,
      inputs: [...ids],
      outputs: out.map((m) => ({ id: m.id, shape: [...m.shape], dtype: m.dtype })),
    });
    return out;
  };
  copy.createTensor = (shape: number[], dtype: number, values: Constant["values"]) => {
    const id = real.createTensor(shape, dtype, values as Int32Array);
    constants.set(id, { shape: [...shape], dtype, values: values.slice() });
    return id;
  };
  copy.tensorDataSync = (id: number) => {
    reads.push(id);
    return real.tensorDataSync(id);
  };
  const own = Object.getOwnPropertyDescriptor(b, "getInputTensorIds");
  const idsOf = b.getInputTensorIds;
  b.getInputTensorIds = (tensors: tf.TensorInfo[]) => {
    const ids = idsOf.call(b, tensors);
    tensors.forEach((t, i) => inputs.set(ids[i], t));
    return ids;
  };
  b.binding = copy as unknown as Recordable["binding"];
  tracing = true;
  try {
    return { result: fn(), ops, constants, inputs, reads };
  } finally {
    tracing = false;
    b.binding = real;
    if (own) Object.defineProperty(b, "getInputTensorIds", own);
    else delete (b as Partial<Recordable>).getInputTensorIds;
  }
}
