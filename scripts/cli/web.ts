/**
 * `./vqvar web` (`deno task web`): builds the page into out/web/ and serves it on a loopback
 * port, printing the URL. `--port N` picks the port (default 8765; 0: any free one).
 */
import { parseArgs } from "node:util";
import { buildWeb } from "../build/build_web.ts";
import { serveStatic } from "../build/web_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { port: { type: "string", default: "8765" } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: --port must be an integer in 0…65535, got ${values.port}`);
  Deno.exit(2);
}
await buildWeb().catch((err) => {
  console.error(`[web] build failed: ${String(err?.message ?? err).split("\n")[0]}`);
  Deno.exit(1);
});
const { url } = await serveStatic("out/web", port);
console.log(`[web] serving out/web on ${url} (Ctrl-C stops)`);
