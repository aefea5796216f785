/**
 * Serves a built web page folder on a loopback port with `sirv` (a well-kept static file
 * handler) on `node:http`. Used by `deno task web` and by the page's browser check.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sirv from "sirv";

/** Serves `dir` on 127.0.0.1:`port` (0: any free port); resolves with the server and its URL. */
export async function serveStatic(
  dir: string,
  port = 0,
): Promise<{ server: Server; url: string }> {
  const handler = sirv(dir, { dev: true, etag: true });
  const server = createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end("not found");
    })
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${bound}/` };
}
