/**
 * vqvar: vector quantization (VQ-VAE) and VAR's multi-scale residual tokenizer on
 * TensorFlow.js. Tensors are channels-last (NHWC), TensorFlow.js's layout.
 *
 * Importing it changes the process's TensorFlow.js: it selects the backend (`VQVAR_BACKEND`), and
 * on `tensorflow` it re-registers some tfjs-node kernels (convolutions and `BatchMatMul` on
 * TensorFlow's oneDNN kernels, and `Reshape`) and adds kernels of its own, each probed against
 * the stock kernel when it loads (`versions()` names every one in use and any that fell back). `VQVAR_ONEDNN=0` and `VQVAR_NATIVE_OPS=0` turn those two parts off. It also sets
 * `process.env.TF_CPP_MIN_LOG_LEVEL` (unless set) and adds `util.isNullOrUndefined` to
 * `node:util` where missing (tfjs-node calls it). README.md, "What importing vqvar changes".
 *
 * @module
 */
export * from "./core/mod.ts";
export * from "./data/mod.ts";
export * from "./quant/mod.ts";
export * from "./models/mod.ts";
export * from "./train/mod.ts";
export * from "./viz/mod.ts";
