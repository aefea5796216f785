import { assert, assertEquals, assertRejects } from "@std/assert";
import process from "node:process";
import { backendName, BACKENDS, ready, tf, versions } from "./backend.ts";

Deno.test("the backend in use is the one asked for, or the best one", () => {
  const expected = process.env.VQVAR_BACKEND || "tensorflow";
  assertEquals(backendName, expected);
  assertEquals(tf.getBackend(), expected);
  console.log(`backend: ${backendName}`);
});

Deno.test("versions name the backend and tfjs", () => {
  const v = versions();
  assertEquals(v.backend, backendName);
  assertEquals(v.tfjs, tf.version.tfjs);
  if (backendName === "tensorflow") assert(/^\d+\.\d+/.test(v.tensorflow));
});

Deno.test("every backend of the list computes the same small result", async () => {
  const values: number[][] = [];
  for (const name of BACKENDS) {
    if (!tf.findBackend(name)) continue; // registered only when it started
    await tf.setBackend(name);
    values.push(Array.from(tf.tidy(() => tf.tensor([1, 2, 3]).square().sum().dataSync())));
  }
  await tf.setBackend(backendName);
  assert(values.length >= 1);
  for (const v of values) assertEquals(v, [14]);
});

Deno.test("an unknown VQVAR_BACKEND is a clear error", async () => {
  // A second instance of the module (another URL) reads the variable afresh and throws before
  // it touches TensorFlow.js.
  const saved = process.env.VQVAR_BACKEND;
  process.env.VQVAR_BACKEND = "gpu-please";
  try {
    await assertRejects(
      () => import(`./backend.ts?unknown-backend`),
      Error,
      "VQVAR_BACKEND=gpu-please is not a backend; use one of tensorflow, wasm, cpu",
    );
  } finally {
    if (saved === undefined) delete process.env.VQVAR_BACKEND;
    else process.env.VQVAR_BACKEND = saved;
  }
});

Deno.test("ready() resolves with the backend in use", async () => {
  assertEquals(await ready(), backendName);
});
