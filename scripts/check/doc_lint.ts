/**
 * `deno doc --lint lib/mod.ts`, failing only on problems located in the project's own files:
 * the ones inside TensorFlow.js's re-exported types (node_modules) are not ours to fix.
 *
 * Usage: deno run -A scripts/check/doc_lint.ts
 */
const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", "lib/mod.ts"],
  stdout: "piped",
  stderr: "piped",
  env: { NO_COLOR: "1" },
}).output();
const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
const ours = text.split(/\n\s*\n/).filter((block) =>
  /^error\[/m.test(block) && /-->\s+(?!.*node_modules)\S+:\d+/.test(block)
);
for (const block of ours) console.error(block.trim() + "\n");
const all = (text.match(/^error\[/gm) ?? []).length;
console.error(
  `[doc-lint] ${ours.length} problem(s) in the project's files (${
    all - ours.length
  } inside TensorFlow.js's types, not counted)`,
);
if (ours.length) Deno.exit(1);
