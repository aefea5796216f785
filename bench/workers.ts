/**
 * What the bench's coordinators share: a worker process speaking the JSON-lines protocol of
 * bench/worker.ts and bench/reference/torch_worker.py, the median, and the Python with torch.
 * (Kept apart from lib: a coordinator does not load TensorFlow.)
 */
import { TextLineStream } from "deno-std/streams/text_line_stream.js";

const root = new URL("..", import.meta.url).pathname;

/** A worker process speaking the JSON-lines protocol. */
export class Worker {
  private readonly child: Deno.ChildProcess;
  private readonly lines: ReadableStreamDefaultReader<string>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  info: Record<string, unknown> = {};

  constructor(cmd: string, args: string[], env: Record<string, string> = {}) {
    this.child = new Deno.Command(cmd, {
      args,
      env: { TF_CPP_MIN_LOG_LEVEL: "3", ...env },
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      cwd: root,
    }).spawn();
    this.lines = this.child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    ).getReader();
    this.writer = this.child.stdin.getWriter();
  }

  async read(): Promise<Record<string, unknown>> {
    for (;;) {
      const { value, done } = await this.lines.read();
      if (done) throw new Error("worker exited");
      if (value.startsWith("{")) return JSON.parse(value);
    }
  }

  async start(): Promise<this> {
    this.info = await this.read();
    return this;
  }

  async call(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
    const reply = await this.read();
    if (reply.error) throw new Error(String(reply.error));
    return reply;
  }

  async close(): Promise<void> {
    await this.writer.close().catch(() => {});
    await this.child.status;
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function findTorchPython(): Promise<string | undefined> {
  const candidates = [Deno.env.get("VQVAR_TORCH_PYTHON"), `${root}.venv/bin/python`, "python3"];
  for (const py of candidates) {
    if (!py) continue;
    try {
      const { code } = await new Deno.Command(py, { args: ["-c", "import torch"], stderr: "null" })
        .output();
      if (code === 0) return py;
    } catch { /* not there */ }
  }
}
