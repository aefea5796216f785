/**
 * What the command lines' tests share: running a command as a user runs it (a subprocess, from
 * the project root), a tiny model's options, and the assertion of a one-line usage error.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The project's root folder, ending in a slash. */
export const root: string = fileURLToPath(new URL("../..", import.meta.url));

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno task <script>` as a user would (`deno run -A scripts/cli/<script>.ts`) from the project
 * root. With `interruptWhen`, sends SIGINT once stdout matches it.
 */
export async function run(
  script: "train" | "var" | "var_sweep" | "var_compare",
  args: string[],
  interruptWhen?: RegExp,
): Promise<Ran> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `scripts/cli/${script}.ts`, ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const decoder = new TextDecoder();
  let stdout = "";
  let sent = false;
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      stdout += decoder.decode(chunk, { stream: true });
      if (interruptWhen && !sent && interruptWhen.test(stdout)) {
        sent = true;
        child.kill("SIGINT");
      }
    }
  })();
  const stderrText = new Response(child.stderr).text();
  const [{ code }, stderr] = await Promise.all([child.status, stderrText, reading]);
  return { code, stdout, stderr: await stderr };
}

/** The options of a model small enough for a test (28×28 dummy images, latents 7×7). */
export const TINY: string[] = "--channels 8 --latent 4 --vocab 16 --patch-nums 1,3,7".split(" ");
/**
 * Trains a tiny multi-scale tokenizer on dummy images (5 steps) into `out`, asserting that the
 * command succeeded; returns its checkpoint folder (what `deno task var --tokenizer` takes).
 */
export async function trainTinyTokenizer(out: string): Promise<string> {
  const tok = await run("train", [
    ...["--data", "dummy", ...TINY, "--steps", "5", "--batch", "32", "--out", out],
  ]);
  assertEquals(tok.code, 0, tok.stderr);
  return `${out}/checkpoint`;
}

export const TINY_VAR: string[] = "--width 16 --heads 2 --depth 1 --per-class 2".split(" ");

/** Asserts a bad-input exit: code 2, exactly `line` on stderr, no stack trace. */
export function assertUsageError(r: Ran, line: string | RegExp) {
  assertEquals(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  if (typeof line === "string") assertEquals(lines[0], line);
  else assertMatch(lines[0], line);
  assert(!/^\s+at /m.test(r.stderr + r.stdout), "no stack trace");
}

export async function json(path: string) {
  return JSON.parse(await readFile(path, "utf8"));
}
