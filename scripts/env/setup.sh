#!/usr/bin/env bash
# Idempotent, cached setup for vqvar. Every step checks what is already there and
# does nothing when it is complete, so running it again costs about a second.
#
#   1. Deno, pinned, from the npm package `deno`, in .tools/ (not a project dependency).
#   2. npm dependencies (package-lock.json), installed without lifecycle scripts.
#   3. The tfjs-node native addon: tfjs-node's own installer first (it downloads
#      libtensorflow, which works with internet); when that fails, the TensorFlow C API
#      is taken from the tensorflow-cpu wheel (pip download, pip's configured index) and
#      the addon is built from source with node-gyp against the local Node headers, with
#      scripts/env/tfjs-node-binding.patch applied to its binding (rebuilt when the patch changes).
#   3b. lib/ built for Node (CommonJS + declarations in dist/, linked as node_modules/vqvar),
#      cached by a content hash of lib/ (scripts/build/build_node.ts).
#   4. A project-local Python venv (.venv) with Jupyter, nbclient/nbconvert and plotly.
#   5. Chromium for the browser check (apt-get when run as root; otherwise a hint).
#
# Usage: scripts/env/setup.sh [--deno-only]
# Environment: VQVAR_SKIP_PYTHON=1 skips step 4, VQVAR_SKIP_CHROMIUM=1 step 5;
# VQVAR_TF_WHEEL=path uses that wheel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cache="$root/.cache"
mkdir -p "$cache"
TF_WHEEL_VERSION="2.21.0"
PIP=(--retries 0 --disable-pip-version-check)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
started=$SECONDS

# 1. Deno ------------------------------------------------------------------------------
deno_bin="$root/.tools/node_modules/.bin/deno"
tools_hash=$(hash_of .tools/package.json)
if [[ ! -x "$deno_bin" || "$(cat .tools/node_modules/.vqvar-stamp 2>/dev/null)" != "$tools_hash" ]]; then
  say "installing Deno (npm package deno) into .tools/"
  (cd .tools && npm install --no-audit --no-fund --loglevel=error >&2)
  echo "$tools_hash" > .tools/node_modules/.vqvar-stamp
fi

[[ "${1:-}" == "--deno-only" ]] && exit 0

# One setup at a time: the test suite starts several tasks at once, each asking for setup.
exec 9>"$cache/setup.lock"
flock 9

# 2. npm dependencies --------------------------------------------------------------------
deps_hash=$(hash_of package.json package-lock.json)
if [[ "$(cat node_modules/.vqvar-stamp 2>/dev/null)" != "$deps_hash" ]]; then
  say "installing npm dependencies (no lifecycle scripts)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  echo "$deps_hash" > node_modules/.vqvar-stamp
fi

# 3. tfjs-node addon -----------------------------------------------------------------------
tfnode="$root/node_modules/@tensorflow/tfjs-node"
addon_loads() {
  (cd "$root" && TF_CPP_MIN_LOG_LEVEL=3 node -e 'require("@tensorflow/tfjs-node")' >/dev/null 2>&1)
}
stage_from_wheel() {
  local wheel="${VQVAR_TF_WHEEL:-}"
  if [[ -z "$wheel" ]]; then
    wheel=$(ls "$cache"/wheels/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
  fi
  if [[ -z "$wheel" ]]; then
    say "downloading the tensorflow-cpu==$TF_WHEEL_VERSION wheel (pip download --no-deps)"
    python3 -m pip download "${PIP[@]}" --no-deps --only-binary=:all: \
      --python-version 3.11 --platform manylinux_2_27_x86_64 \
      -d "$cache/wheels" "tensorflow-cpu==$TF_WHEEL_VERSION" >&2
    wheel=$(ls "$cache"/wheels/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl | head -n 1)
  fi
  local x="$cache/tf-c-api-$TF_WHEEL_VERSION"
  if [[ ! -f "$x/.complete" ]]; then
    say "extracting the TensorFlow C API from $(basename "$wheel")"
    rm -rf "$x" && mkdir -p "$x"
    python3 - "$wheel" "$x" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
keep = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
dirs = ("tensorflow/include/tensorflow/c/", "tensorflow/include/tensorflow/core/platform/",
        "tensorflow/include/tsl/platform/", "tensorflow/include/xla/tsl/")
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name in keep or name.startswith(dirs):
            z.extract(name, out)
PY
    touch "$x/.complete"
  fi
  rm -rf "$tfnode/deps" && mkdir -p "$tfnode/deps/lib"
  cp -r "$x/tensorflow/include" "$tfnode/deps/include"
  # Hard links when the cache is on the same disk (no second 800 MB copy), else a copy.
  for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
    ln "$x/tensorflow/$lib" "$tfnode/deps/lib/$lib" 2>/dev/null || cp "$x/tensorflow/$lib" "$tfnode/deps/lib/$lib"
  done
  # binding.gyp links -ltensorflow; the wheel's C API lives in libtensorflow_cc (its SONAME).
  ln -sf libtensorflow_cc.so.2 "$tfnode/deps/lib/libtensorflow.so"
  ln -sf libtensorflow_framework.so.2 "$tfnode/deps/lib/libtensorflow_framework.so"
}
build_addon() {
  say "building the tfjs-node addon from source (node-gyp, Node headers in ${npm_config_nodedir:-/usr})"
  (cd "$tfnode" && npm_config_nodedir="${npm_config_nodedir:-/usr}" \
    "$root/node_modules/.bin/node-pre-gyp" install --build-from-source --loglevel=warn >&2)
}
# The binding patch (scripts/env/tfjs-node-binding.patch): lists of strings and of types as op
# attributes, which oneDNN's fused convolution needs; a number of threads for a loaded graph's
# session (lib/core/graph/graph_function.ts: small graphs on one thread). Applied to the binding's source before it is built; when it
# does not apply (another tfjs-node), the addon is built as it is and one line says so.
binding_patch="$root/scripts/env/tfjs-node-binding.patch"
patch_stamp="$tfnode/lib/.vqvar-binding-patch"
patch_hash=$(hash_of "$binding_patch")
apply_binding_patch() {
  local p=(patch -p1 -s -f -d "$tfnode")
  if "${p[@]}" -R --dry-run <"$binding_patch" >/dev/null 2>&1; then
    echo "$patch_hash" ; return
  fi
  if "${p[@]}" --dry-run <"$binding_patch" >/dev/null 2>&1 && "${p[@]}" <"$binding_patch" >/dev/null; then
    echo "$patch_hash" ; return
  fi
  say "the binding patch does not apply to tfjs-node $(node -p 'require("'"$tfnode"'/package.json").version'): building the addon unpatched (no fused convolution with ReLU)"
  echo "unpatched $patch_hash"
}
if ! addon_loads; then
  say "tfjs-node addon missing: trying tfjs-node's own installer (downloads libtensorflow)"
  if (cd "$tfnode" && timeout 300 node scripts/install.js >"$cache/tfjs-node-install.log" 2>&1) && addon_loads; then
    say "tfjs-node installed by its own installer"
  else
    say "its installer could not download libtensorflow (log: .cache/tfjs-node-install.log); building from the wheel"
    stage_from_wheel
  fi
fi
if [[ "$(cat "$patch_stamp" 2>/dev/null)" != *"$patch_hash" ]]; then
  if addon_loads && ! { command -v make && command -v c++; } >/dev/null; then
    # tfjs-node's own installer worked but nothing here can compile: keep its addon as it is.
    say "no C++ toolchain (make, c++): the tfjs-node addon stays unpatched (no fused convolution with ReLU)"
    echo "unpatched $patch_hash" >"$patch_stamp"
  else
    [[ -d "$tfnode/deps/include" ]] || stage_from_wheel
    state=$(apply_binding_patch)
    build_addon
    addon_loads || { say "ERROR: the tfjs-node addon was built but does not load; see README troubleshooting"; exit 1; }
    echo "$state" >"$patch_stamp"
  fi
fi

# 3b. lib/ built for Node as the package `vqvar` (the tslab kernel imports it) ---------------
"$deno_bin" run -A scripts/build/build_node.ts

# 4. Python venv with Jupyter ---------------------------------------------------------------
if [[ "${VQVAR_SKIP_PYTHON:-0}" != "1" ]]; then
  req_hash=$(hash_of scripts/env/requirements.txt)
  if [[ "$(cat .venv/.vqvar-stamp 2>/dev/null)" != "$req_hash" ]]; then
    say "creating the Python venv .venv with Jupyter (scripts/env/requirements.txt)"
    [[ -x .venv/bin/python ]] || python3 -m venv .venv
    .venv/bin/python -m pip install "${PIP[@]}" -q -r scripts/env/requirements.txt 2>&1 | grep -v "is ignored: it is neither" >&2 || true
    .venv/bin/python -c "import jupyterlab, nbclient, nbconvert, plotly"
    echo "$req_hash" > .venv/.vqvar-stamp
  fi
fi

# 5. Chromium for the browser check of the exported notebooks (deno task browser) -----------
have_chromium() {
  [[ -n "${VQVAR_CHROMIUM:-}" ]] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null
}
if [[ "${VQVAR_SKIP_CHROMIUM:-0}" != "1" ]] && ! have_chromium; then
  if command -v apt-get >/dev/null && [[ "$(id -u)" == "0" ]]; then
    say "installing Chromium (apt-get install chromium) for the browser check"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >"$cache/apt-chromium.log" 2>&1 \
      || say "WARNING: apt-get could not install chromium (log: .cache/apt-chromium.log)"
  else
    say "no Chromium: the browser check needs one (Debian: sudo apt-get install chromium, or set VQVAR_CHROMIUM)"
  fi
fi

if (( SECONDS - started > 2 )); then say "ready in $((SECONDS - started)) s"; fi
