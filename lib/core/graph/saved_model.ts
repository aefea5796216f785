/**
 * A recorded call (lib/core/graph/trace.ts) as a TensorFlow graph, in a SavedModel that
 * tfjs-node's binding can load and run as one session call (`loadSavedModel`, `runSavedModel`).
 *
 * Each traced op becomes a node with the attributes the call gave it, plus those eager
 * execution infers from the inputs (the dtypes and list lengths of TensorFlow's `OpDef`,
 * lib/core/graph/op_input_attrs.ts). Every tensor an op reads that no traced op made becomes:
 * a placeholder fed at each run (the call's arguments, and tensors made before the call, such
 * as variables, which are fed their value of the moment), or a constant (tensors the call made
 * from JavaScript values; large ones of one repeated value as `Fill`). The protocol buffers are
 * tfjs-node's own compiled ones (`dist/proto/api_pb.js`).
 *
 * @module
 */
import { createRequire } from "node:module";
import type { tf } from "../tfjs.ts";
import type { OpAttr } from "../tfjs_node.ts";
import { OP_INPUT_ATTRS } from "./op_input_attrs.ts";
import { type Constant, TF_DTYPES, type Trace, type TracedOp } from "./trace.ts";

/** TensorFlow's attribute type codes (`TF_AttrType`), as tfjs-node's binding numbers them. */
const ATTR = { STRING: 0, INT: 1, FLOAT: 2, BOOL: 3, TYPE: 4, SHAPE: 5 } as const;
/** Constants with more elements than this, all equal, become `Fill` nodes. */
const FILL_ABOVE = 64;

/** Why a call cannot become a graph. */
export class GraphError extends Error {}

/** One placeholder of the graph and what feeds it at each run. */
export interface Feed {
  /** Placeholder name. */
  name: string;
  /** The call's argument `arg`, or the tensor `tensor` made before the call. */
  arg?: number;
  tensor?: tf.TensorInfo;
}

/** A graph ready to load: the SavedModel file, its feeds and the names of its fetches. */
export interface BuiltGraph {
  savedModel: Uint8Array;
  feeds: Feed[];
  fetches: string[];
  /** Nodes of the graph (ops, constants and placeholders). */
  nodes: number;
}

// deno-lint-ignore no-explicit-any
type Proto = any;
let protos: Proto | undefined;
/** tfjs-node's compiled TensorFlow protocol buffers (loaded on first use). */
function pb(): Proto {
  return protos ??= createRequire(import.meta.url)("@tensorflow/tfjs-node/dist/proto/api_pb.js");
}

function shapeProto(shape: readonly number[]): Proto {
  const s = new (pb().TensorShape)();
  s.setDimList(shape.map((d) => {
    const dim = new (pb().TensorShape.Dim)();
    dim.setSize(d);
    return dim;
  }));
  return s;
}

function tensorProto(shape: readonly number[], dtype: number, values: ArrayLike<number>): Proto {
  const t = new (pb().Tensor)();
  t.setDtype(dtype);
  t.setTensorShape(shapeProto(shape));
  const typed = dtype === TF_DTYPES.float32
    ? Float32Array.from(values)
    : dtype === TF_DTYPES.int32
    ? Int32Array.from(values)
    : Uint8Array.from(values);
  t.setTensorContent(new Uint8Array(typed.buffer));
  return t;
}

/** A tfjs-node op attribute as TensorFlow's `AttrValue`. */
export function attrValue(a: Pick<OpAttr, "type" | "value">): Proto {
  const v = new (pb().AttrValue)();
  const val = a.value as never;
  const bytes = (s: string) => new TextEncoder().encode(s);
  if (a.type === ATTR.SHAPE) {
    v.setShape(shapeProto(val));
  } else if (Array.isArray(val)) {
    const list = new (pb().AttrValue.ListValue)();
    const arr = val as unknown[];
    if (a.type === ATTR.INT) list.setIList(arr);
    else if (a.type === ATTR.FLOAT) list.setFList(arr);
    else if (a.type === ATTR.BOOL) list.setBList(arr);
    else if (a.type === ATTR.TYPE) list.setTypeList(arr);
    else if (a.type === ATTR.STRING) list.setSList(arr.map((s) => bytes(s as string)));
    else throw new GraphError(`attribute type ${a.type} is not supported in a graph`);
    v.setList(list);
  } else if (a.type === ATTR.INT) v.setI(val);
  else if (a.type === ATTR.FLOAT) v.setF(val);
  else if (a.type === ATTR.BOOL) v.setB(val);
  else if (a.type === ATTR.TYPE) v.setType(val);
  else if (a.type === ATTR.STRING) v.setS(bytes(val));
  else throw new GraphError(`attribute type ${a.type} is not supported in a graph`);
  return v;
}

/**
 * The attributes eager execution would infer from `op`'s inputs and that the call did not set:
 * type attributes from the input dtypes, list lengths from the number of inputs.
 */
export function inferredAttrs(op: TracedOp, dtypeOf: (id: number) => number): OpAttr[] {
  const spec = OP_INPUT_ATTRS[op.op]?.split(",").map((a) => a.split("|"));
  if (!spec) return [];
  const have = new Map(op.attrs.map((a) => [a.name, a]));
  // Inputs per argument: one, or a list whose length the call set, or (the one list it did
  // not set) what the other arguments leave.
  const known = spec.map(([, n, l]) =>
    n
      ? have.get(n)?.value as number | undefined
      : l
      ? (have.get(l)?.value as number[] | undefined)?.length
      : 1
  );
  const unknown = known.filter((c) => c === undefined).length;
  if (unknown > 1) throw new GraphError(`${op.op}: cannot tell its list inputs apart`);
  const rest = op.inputs.length - known.reduce((a: number, c) => a + (c ?? 0), 0);
  const out: OpAttr[] = [];
  const set = (a: OpAttr) => {
    if (have.has(a.name)) return;
    have.set(a.name, a);
    out.push(a);
  };
  let at = 0;
  spec.forEach(([type, number, typeList], i) => {
    const count = known[i] ?? rest;
    const ids = op.inputs.slice(at, at += count);
    if (type && ids.length) set({ name: type, type: ATTR.TYPE, value: dtypeOf(ids[0]) });
    if (number) set({ name: number, type: ATTR.INT, value: count });
    if (typeList) set({ name: typeList, type: ATTR.TYPE, value: ids.map(dtypeOf) });
  });
  return out;
}

/** Nodes of a graph under construction. */
class Nodes {
  readonly list: Proto[] = [];
  add(name: string, op: string, inputs: string[], attrs: [string, Proto][]): string {
    const n = new (pb().NodeDef)();
    n.setName(name);
    n.setOp(op);
    n.setInputList(inputs);
    const map = n.getAttrMap();
    for (const [k, v] of attrs) map.set(k, v);
    this.list.push(n);
    return name;
  }
  type(t: number): Proto {
    return attrValue({ type: ATTR.TYPE, value: t });
  }
  constant(name: string, c: Constant): string {
    const v = c.values;
    if (v.length > FILL_ABOVE && v.every((x) => x === v[0])) {
      const dims = this.constant(`${name}/dims`, {
        shape: [c.shape.length],
        dtype: TF_DTYPES.int32,
        values: Int32Array.from(c.shape),
      });
      const value = this.constant(`${name}/value`, {
        shape: [],
        dtype: c.dtype,
        values: v.slice(0, 1),
      });
      return this.add(name, "Fill", [dims, value], [["T", this.type(c.dtype)], [
        "index_type",
        this.type(TF_DTYPES.int32),
      ]]);
    }
    const value = new (pb().AttrValue)();
    value.setTensor(tensorProto(c.shape, c.dtype, v));
    return this.add(name, "Const", [], [["dtype", this.type(c.dtype)], ["value", value]]);
  }
}

/** Names and dtypes of the native tensors placed in a graph so far, and its feeds. */
class Placed {
  readonly names = new Map<number, string>();
  readonly dtypes = new Map<number, number>();
  readonly feeds: Feed[] = [];
  constructor(readonly nodes: Nodes) {}

  set(id: number, name: string, dtype: number): void {
    this.names.set(id, name);
    this.dtypes.set(id, dtype);
  }

  placeholder(id: number, info: tf.TensorInfo, feed: Omit<Feed, "name">): void {
    const name = `in${this.feeds.length}`;
    this.feeds.push({ name, ...feed });
    const dtype = TF_DTYPES[info.dtype];
    this.nodes.add(name, "Placeholder", [], [
      ["dtype", this.nodes.type(dtype)],
      ["shape", attrValue({ type: ATTR.SHAPE, value: info.shape })],
    ]);
    this.set(id, name, dtype);
  }

  constant(id: number, c: Constant): void {
    this.set(id, this.nodes.constant(`const${id}`, c), c.dtype);
  }
}

/**
 * The graph of `trace`: placeholders for `args` (the call's arguments, by native id) and for the
 * tensors made before the call, constants for those made during it, one node per op, and the
 * fetches `outputs` (native ids of tensors the trace produced). `readValue` reads a tensor made
 * before the call that tfjs does not know (tfjs-node's cached shapes), to make it a constant.
 */
export function buildGraph(
  trace: Trace<unknown>,
  args: number[],
  outputs: number[],
  readValue: (id: number) => Constant["values"],
): BuiltGraph {
  const nodes = new Nodes();
  const placed = new Placed(nodes);
  trace.ops.forEach((op, i) =>
    op.outputs.forEach((o, k) => placed.set(o.id, k ? `op${i}:${k}` : `op${i}`, o.dtype))
  );
  trace.ops.forEach((op, i) => {
    for (const id of op.inputs) {
      if (placed.names.has(id)) continue;
      const c = trace.constants.get(id);
      const info = trace.inputs.get(id);
      if (c) placed.constant(id, c);
      else if (args.includes(id)) placed.placeholder(id, info!, { arg: args.indexOf(id) });
      else if (info) placed.placeholder(id, info, { tensor: info });
      else if (op.op === "Reshape" && op.inputs[1] === id) {
        const values = readValue(id);
        placed.constant(id, { shape: [values.length], dtype: TF_DTYPES.int32, values });
      } else throw new GraphError(`op ${i} (${op.op}) reads a tensor the trace cannot place`);
    }
    const attrs = [...op.attrs, ...inferredAttrs(op, (id) => placed.dtypes.get(id)!)];
    nodes.add(
      `op${i}`,
      op.op,
      op.inputs.map((id) => placed.names.get(id)!),
      attrs.map((a) => [a.name, attrValue(a)]),
    );
  });
  const fetches = outputs.map((id) => {
    const name = placed.names.get(id);
    if (!name?.startsWith("op")) throw new GraphError("an output is not computed by the call");
    return name.includes(":") ? name : `${name}:0`;
  });
  return {
    savedModel: savedModelOf(nodes.list),
    feeds: placed.feeds,
    fetches,
    nodes: nodes.list.length,
  };
}

/** A SavedModel of one graph of `nodes`, tagged `serve`, with no variables. */
function savedModelOf(nodes: Proto[]): Uint8Array {
  const graph = new (pb().GraphDef)();
  graph.setNodeList(nodes);
  const info = new (pb().MetaGraphDef.MetaInfoDef)();
  info.setTagsList(["serve"]);
  const meta = new (pb().MetaGraphDef)();
  meta.setMetaInfoDef(info);
  meta.setGraphDef(graph);
  const model = new (pb().SavedModel)();
  model.setSavedModelSchemaVersion(1);
  model.setMetaGraphsList([meta]);
  return model.serializeBinary();
}
