import { assertEquals, assertThrows } from "@std/assert";
import { claim, ClaimError } from "./claim.ts";

Deno.test("claim prints a true statement with a check mark", () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    claim(2 > 1, "two is more than one");
  } finally {
    console.log = log;
  }
  assertEquals(lines, ["✓ two is more than one"]);
});

Deno.test("claim throws a ClaimError naming a false statement", () => {
  const error = assertThrows(() => claim(1 > 2, "one is more than two"), ClaimError);
  assertEquals(error.message, "claim failed: one is more than two");
  assertEquals(error.statement, "one is more than two");
});
