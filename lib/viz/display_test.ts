/**
 * Importing vqvar changes nothing in Deno's Jupyter kernel: the output settling (see
 * `settleDenoOutput`) is installed by the first display, once. The kernel is simulated: a
 * `Deno.jupyter` whose `display` records, and the internal hook the kernel awaits before it
 * reports a cell done.
 */
import { assert, assertEquals, assertStrictEquals } from "@std/assert";

type Hook = (executionCount: number, result: unknown) => Promise<void>;

Deno.test("importing vqvar leaves Deno's Jupyter hook alone; the first display installs the settling, once", async () => {
  const deno = Deno as unknown as { jupyter?: unknown; internal: symbol } & Record<symbol, unknown>;
  const internals = deno[deno.internal] as { jupyter?: { broadcastResult: Hook } };
  const before = internals.jupyter;
  let reported = 0;
  const original: Hook = () => {
    reported++;
    return Promise.resolve();
  };
  const shown: unknown[] = [];
  internals.jupyter = { broadcastResult: original };
  deno.jupyter = {
    display: (bundle: unknown) => {
      shown.push(bundle);
      return Promise.resolve();
    },
  };
  try {
    // Loaded here, after the simulated kernel is in place (no static import of lib above).
    const vqvar = await import("../mod.ts");
    assertStrictEquals(internals.jupyter.broadcastResult, original, "changed on import");
    assertEquals(vqvar.displayTarget(), "deno-jupyter");

    await vqvar.display({ "text/plain": "one" });
    assertEquals(shown, [{ "text/plain": "one" }]);
    const settled = internals.jupyter.broadcastResult;
    assert(settled !== original, "not installed by the first display");
    await settled(1, undefined);
    assertEquals(reported, 1, "the kernel's own hook still runs, after the pause");

    await vqvar.display({ "text/plain": "two" });
    assertStrictEquals(internals.jupyter.broadcastResult, settled, "installed twice");
    assertEquals(vqvar.settleDenoOutput(), true);
  } finally {
    internals.jupyter = before;
    deno.jupyter = undefined;
  }
});
