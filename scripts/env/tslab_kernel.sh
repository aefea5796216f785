#!/usr/bin/env bash
# Starts the tslab kernel (jupyter/kernels/vqvar-tslab) after bringing the Node build of lib/
# (package `vqvar`, see scripts/build/build_node.ts) up to date, so an edit to lib/ is seen by the
# next kernel start. The build is cached by a content hash: when nothing changed this costs
# a fraction of a second.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! "$root/.tools/node_modules/.bin/deno" run -A "$root/scripts/build/build_node.ts" --quiet >&2; then
  echo "[vqvar] could not rebuild lib/ for Node; the kernel uses the last build (run ./vqvar setup)" >&2
fi
exec "$root/node_modules/.bin/tslab" kernel "$@"
