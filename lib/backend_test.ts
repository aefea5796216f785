import { assert, assertEquals } from "@std/assert";
import process from "node:process";
import { backendName, BACKENDS, tf, versions } from "./backend.ts";

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
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["eval", `await import("${new URL("./backend.ts", import.meta.url)}")`],
    env: { VQVAR_BACKEND: "gpu-please" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stderr } = await cmd.output();
  assert(code !== 0);
  const text = new TextDecoder().decode(stderr);
  assert(text.includes("VQVAR_BACKEND=gpu-please is not a backend"), text);
});
