import { assertEquals, assertThrows } from "@std/assert";
import process from "node:process";
import { budgetScale, scaledBudget } from "./budget.ts";

function withBudget(value: string | undefined, fn: () => void) {
  const saved = process.env.VQVAR_BUDGET;
  if (value === undefined) delete process.env.VQVAR_BUDGET;
  else process.env.VQVAR_BUDGET = value;
  try {
    fn();
  } finally {
    if (saved === undefined) delete process.env.VQVAR_BUDGET;
    else process.env.VQVAR_BUDGET = saved;
  }
}

Deno.test("VQVAR_BUDGET scales steps and minutes; unset means the full budget", () => {
  withBudget(undefined, () => {
    assertEquals(budgetScale(), 1);
    assertEquals(scaledBudget({ steps: 500, minutes: 1.25 }), { steps: 500, minutes: 1.25 });
  });
  withBudget("0.2", () => {
    assertEquals(scaledBudget({ steps: 500, minutes: 1.25 }), { steps: 100, minutes: 0.25 });
    assertEquals(scaledBudget({ steps: 2, minutes: 1 }).steps, 1);
  });
});

Deno.test("a VQVAR_BUDGET outside (0, 1] is a one-line error", () => {
  for (const bad of ["abc", "0", "-1", "2"]) {
    withBudget(bad, () => {
      assertThrows(() => budgetScale(), Error, `VQVAR_BUDGET=${bad} is not a number in (0, 1]`);
    });
  }
});
