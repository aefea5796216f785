/**
 * The one module that imports TensorFlow.js's package. Everything else takes `tf` from here
 * (inside lib/core) or from lib/core/backend.ts, which also selects the backend when it loads;
 * so that modules backend.ts itself imports (the kernels it reroutes) need no cycle back to it.
 * (lib/core/mod.ts re-exports the same namespace as the public `tf`: one module instance.)
 *
 * @module
 */

/** TensorFlow.js (`@tensorflow/tfjs`), whose backend lib/core/backend.ts selects. */
export * as tf from "@tensorflow/tfjs";
