/**
 * Muting native stderr: TensorFlow's C++ start-up and image decoders log there, ignoring
 * `TF_CPP_MIN_LOG_LEVEL`. Only under Deno on Linux with FFI allowed; elsewhere a no-op.
 */

type Libc = Deno.DynamicLibrary<{
  dup: { parameters: ["i32"]; result: "i32" };
  dup2: { parameters: ["i32", "i32"]; result: "i32" };
  close: { parameters: ["i32"]; result: "i32" };
  open: { parameters: ["buffer", "i32"]; result: "i32" };
}>;

let libc: Libc | null | undefined;

/** libc's dup/dup2/open/close, opened once (null where they cannot be had). */
function openLibc(): Libc | null {
  if (libc !== undefined) return libc;
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  libc = !deno || deno.build.os !== "linux" ||
      deno.permissions.querySync({ name: "ffi" }).state !== "granted"
    ? null
    : deno.dlopen("libc.so.6", {
      dup: { parameters: ["i32"], result: "i32" },
      dup2: { parameters: ["i32", "i32"], result: "i32" },
      close: { parameters: ["i32"], result: "i32" },
      open: { parameters: ["buffer", "i32"], result: "i32" },
    });
  return libc;
}

/**
 * Runs `fn` with file descriptor 2 pointed at /dev/null, through libc's dup/dup2. Only under
 * Deno on Linux with FFI allowed; elsewhere it just runs `fn` (the log line then shows once).
 */
export function withNativeStderrMuted<T>(fn: () => T): T {
  const c = openLibc();
  if (!c) return fn();
  const O_WRONLY = 1;
  const devNull = c.symbols.open(new TextEncoder().encode("/dev/null\0"), O_WRONLY);
  const saved = c.symbols.dup(2);
  try {
    if (devNull >= 0 && saved >= 0) c.symbols.dup2(devNull, 2);
    return fn();
  } finally {
    if (saved >= 0) {
      c.symbols.dup2(saved, 2);
      c.symbols.close(saved);
    }
    if (devNull >= 0) c.symbols.close(devNull);
  }
}
