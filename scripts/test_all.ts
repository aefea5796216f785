/**
 * `./vqvar test`: every check of the project, one `deno task` after another, stopping at the
 * first that fails, with the time each took and a summary at the end (also after a failure).
 */
const STEPS = [
  "check",
  "test:unit",
  "web:check",
  "notebooks",
  "notebooks:tslab",
  "kernels",
  "browser",
  "lab:check",
];

const done: [string, number, boolean][] = [];
const t0 = performance.now();
let failed = false;
for (const step of STEPS) {
  console.error(`[test] ${step} …`);
  const start = performance.now();
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: ["task", step],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  done.push([step, (performance.now() - start) / 1000, success]);
  if (!success) {
    failed = true;
    break;
  }
}
console.error(
  `[test] ${failed ? "FAILED" : "passed"} in ${((performance.now() - t0) / 1000).toFixed(0)} s:`,
);
for (const [step, s, ok] of done) {
  console.error(`[test]   ${step.padEnd(16)} ${s.toFixed(0).padStart(5)} s${ok ? "" : "  FAILED"}`);
}
Deno.exit(failed ? 1 : 0);
