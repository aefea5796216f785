/**
 * What every measuring command's report says about where it was made: the backend and library
 * versions, the CPU's name and vector extensions, the cores, and the command line.
 */
import { backendName, versions } from "../../lib/core/backend.ts";

/** The CPU's name and its vector extensions (what a speed figure depends on). */
export async function cpu(): Promise<{ name: string; flags: string[] }> {
  const info = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const flags = info.match(/^flags\s*:\s*(.*)$/m)?.[1].split(" ") ?? [];
  return {
    name: info.match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown",
    flags: flags.filter((f) => /^(avx\w*|fma|amx\w*)$/.test(f)),
  };
}

/** The header fields of a report made by `deno task TASK` with this process's arguments. */
export async function reportHeader(task: string) {
  const { name, flags } = await cpu();
  return {
    backend: backendName,
    versions: versions(),
    cpu: name,
    cpuFlags: flags,
    cores: navigator.hardwareConcurrency,
    command: `deno task ${task} ${Deno.args.join(" ")}`.trim(),
  };
}
