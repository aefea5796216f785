import { assert, assertEquals, assertMatch } from "@std/assert";
import process from "node:process";
import { backendName, tf, versions } from "./backend.ts";
import {
  installReroutes,
  removeReroute,
  type Reroute,
  reroutes,
  setReroutes,
  withStockKernel,
} from "./reroute.ts";
import { addBias, conv2dWithBias, reluGradient, sigmoidGradient } from "./native_ops.ts";

const onTensorflow = { ignore: backendName !== "tensorflow" };

/** A test entry on tfjs's `Neg` kernel (which lib does not reroute), made by `make`. */
function negEntry(make: Reroute["make"]): Reroute {
  return {
    kernel: "Neg",
    runs: "a test kernel",
    group: "native",
    make,
    probe: () => ({ inputs: { x: tf.tensor1d([1, -2, 3]) } }),
  };
}

/** Installs `entry`, returns its state, and takes it out again. */
function tryEntry(entry: Reroute) {
  const stock = tf.getKernel("Neg", "tensorflow")!.kernelFunc;
  try {
    const [state] = installReroutes([entry]);
    return { ...state, stockBack: tf.getKernel("Neg", "tensorflow")!.kernelFunc === stock };
  } finally {
    removeReroute("Neg");
  }
}

Deno.test(
  "the probe refuses a rerouted kernel that falls through to the stock one",
  onTensorflow,
  () => {
    const s = tryEntry(negEntry((stock) => (args) => stock!(args))); // never runs its own kernel
    assertEquals(s.state, "failed");
    assertMatch(s.why!, /ran the stock kernel, not a test kernel/);
    assert(s.stockBack, "the stock kernel is registered again");
    assertEquals(Array.from(tf.neg(tf.tensor1d([1, -2])).dataSync()), [-1, 2]);
  },
);

Deno.test("the probe refuses a rerouted kernel that computes something else", onTensorflow, () => {
  const s = tryEntry(negEntry((_stock, ran) => (args) => {
    ran();
    return tf.engine().runKernel("Abs", args.inputs as tf.NamedTensorMap, {}) as tf.TensorInfo;
  }));
  assertEquals(s.state, "failed");
  assertMatch(s.why!, /disagreed with the stock kernel/);
  assert(s.stockBack);
});

Deno.test(
  "a rerouted kernel that runs and agrees is kept, and counts its calls",
  onTensorflow,
  () => {
    const s = tryEntry(negEntry((stock, ran) => (args) => {
      ran();
      return stock!(args);
    }));
    assertEquals(s.state, "on");
    assertEquals(s.calls, 1); // the probe's
  },
);

Deno.test("every entry is on unless its switch is off; versions() says so", onTensorflow, () => {
  const off = {
    onednn: process.env.VQVAR_ONEDNN === "0",
    native: process.env.VQVAR_NATIVE_OPS === "0",
  };
  const all = reroutes();
  assertEquals(all.length, 12);
  for (const r of all) {
    assertEquals(r.state, off[r.group] ? "off" : "on", `${r.kernel}: ${r.why ?? ""}`);
  }
  const v = versions();
  assertEquals(v.reroutesFailed, undefined);
  assertMatch(v.rerouted, /^onednn: (0|7), native: (0|5)$/);
});

/**
 * A small model's values and gradients through every rerouted kernel: convolutions (strided,
 * transposed, fused, with a bias), matMul, bias, ReLU, sigmoid, reshapes; and an int32 reshape
 * and matMul (stock kernels: rerouting is float32 only).
 */
function model(): number[][] {
  return tf.tidy(() => {
    const r = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, "float32", seed);
    const x = r([2, 8, 8, 3], 1) as tf.Tensor4D;
    const params = [r([3, 3, 3, 4], 2), r([4], 3), r([4], 4), r([4, 4, 3, 4], 5), r([4, 6], 6)];
    const f = (...args: tf.Tensor[]) => {
      const [x, k, b, b2, kt, w] = args as [
        tf.Tensor4D,
        tf.Tensor4D,
        tf.Tensor1D,
        tf.Tensor1D,
        tf.Tensor4D,
        tf.Tensor2D,
      ];
      const withRelu = conv2dWithBias(x, k, b2, 2, "same", { relu: true }); // [2, 4, 4, 4]
      const down = addBias(conv2dWithBias(x, k, b, 2, "same"), b2).relu().add(
        withRelu,
      ) as tf.Tensor4D;
      const up = tf.conv2dTranspose(down, kt, [2, 8, 8, 3], 2, "same");
      const fused = tf.fused.conv2d({ x: up, filter: k, strides: 1, pad: "same", bias: b2 });
      const flat = fused.sigmoid().reshape([2, 64, 4]);
      return tf.matMul(flat, w.expandDims(0).tile([2, 1, 1])).square().sum() as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, ...params]);
    const dy = r([2, 4, 4, 4], 7), y = r([2, 4, 4, 4], 8);
    const activations = [reluGradient(dy, y.relu()), sigmoidGradient(dy, y.sigmoid())];
    const ints = tf.range(0, 6, 1, "int32").reshape([2, 3]);
    const intProduct = tf.matMul(ints.expandDims(0), ints.transpose().expandDims(0));
    return [value, ...grads, ...activations, ints, intProduct].map((t) => Array.from(t.dataSync()));
  });
}

Deno.test("each entry's stock path gives the same model as the rerouted one", onTensorflow, () => {
  const rerouted = model();
  for (const r of reroutes().filter((r) => r.state === "on")) {
    const stock = withStockKernel(r.kernel, model);
    rerouted.forEach((want, i) => {
      const scale = Math.max(1, ...want.map(Math.abs));
      const worst = Math.max(...want.map((v, j) => Math.abs(v - stock[i][j])));
      assert(
        worst <= 1e-5 * scale,
        `${r.kernel} stock: output ${i} off by ${worst} (scale ${scale})`,
      );
    });
  }
});

Deno.test("rerouted kernels run during the model, and only for float32", onTensorflow, () => {
  const before = new Map(reroutes().map((r) => [r.kernel, r.calls]));
  tf.tidy(() => {
    const ints = tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32");
    tf.matMul(ints, ints).reshape([4]);
  });
  for (const r of reroutes()) assertEquals(r.calls, before.get(r.kernel), `${r.kernel} on int32`);
  model();
  for (const r of reroutes().filter((r) => r.state === "on")) {
    assert(r.calls > before.get(r.kernel)!, `${r.kernel} did not run during the model`);
  }
});

Deno.test(
  "setReroutes: off and on again in one process, the same model's loss both ways, the counters show which kernels ran",
  onTensorflow,
  async () => {
    const { VQVAE } = await import("../models/vqvae.ts");
    const model = new VQVAE({
      imageSize: 8,
      channels: 8,
      resBlocks: 1,
      latentChannels: 4,
      vocabSize: 16,
      quantizer: "single",
      seed: 0,
    });
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, "float32", 1) as tf.Tensor4D;
    const calls = () => Object.fromEntries(reroutes().map((r) => [r.kernel, r.calls]));
    const lossOf = () => tf.tidy(() => model.trainForward(x).loss.dataSync()[0]);
    const on = reroutes().filter((r) => r.state === "on").map((r) => r.kernel);
    assert(on.includes("Conv2D") && on.includes("VqvarConv2DWithBias"), on.join());

    const c0 = calls();
    const rerouted = lossOf();
    const c1 = calls();
    assert(
      c1.Conv2D > c0.Conv2D || c1.VqvarConv2DWithBias > c0.VqvarConv2DWithBias,
      "no reroute ran",
    );

    const off = setReroutes({ onednn: false, native: false });
    assert(off.every((r) => r.state !== "on"), "a reroute is still on");
    const stock = lossOf();
    assertEquals(calls(), c1, "a rerouted kernel ran while they were off");
    assert(Math.abs(stock - rerouted) <= 1e-5 * Math.abs(rerouted), `${stock} against ${rerouted}`);

    const again = setReroutes({ onednn: true, native: true });
    assertEquals(again.filter((r) => r.state === "on").map((r) => r.kernel), on);
    assertEquals(lossOf(), rerouted);
    const c2 = calls();
    assert(c2.Conv2D > c1.Conv2D || c2.VqvarConv2DWithBias > c1.VqvarConv2DWithBias);
    tf.dispose(x);
    model.dispose();
  },
);
