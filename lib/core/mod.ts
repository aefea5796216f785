/**
 * The runtime: TensorFlow.js with its backend, functions of tensors run as TensorFlow graphs, PyTorch-exact resampling, seeded randomness, input checks, training budgets.
 *
 * @module
 */
export {
  backendFailures,
  type BackendName,
  backendName,
  BACKENDS,
  ready,
  versions,
} from "./backend.ts";
/** TensorFlow.js itself; `./backend.ts` (loaded first, above) has selected the backend. */
export * as tf from "@tensorflow/tfjs";
/** TensorFlow.js's tensor types, by name, as the library's signatures use them. */
export type {
  Rank,
  Scalar,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Variable,
} from "@tensorflow/tfjs";
export { type RerouteGroup, reroutes, type RerouteState, setReroutes } from "./reroute.ts";
export {
  GRAPH_CACHE_MAX,
  type GraphCalls,
  GraphFunction,
  graphsEnabled,
  setGraphs,
} from "./graph/graph_function.ts";
export { checkPatchNums } from "./validate.ts";
export {
  resize,
  RESIZE_CACHE_MAX_BYTES,
  RESIZE_CACHE_MAX_ENTRIES,
  RESIZE_MODES,
  type ResizeMode,
} from "./resize.ts";
export { LruCache } from "./lru.ts";
export {
  type CachedTensors,
  cachedTensors,
  claimNoLeaks,
  type TensorCount,
  tensorsNow,
} from "./tensor_caches.ts";
export { type SeededRandom, seededRandom, shuffledIndices } from "./random.ts";
export { InputError } from "./errors.ts";
export { claim, ClaimError } from "./claim.ts";
export { budgetScale, scaledBudget } from "./budget.ts";
