#!/usr/bin/env bash
# Runs the venv's Jupyter with project-local kernelspecs (jupyter/kernels) and
# project-local config/data/runtime folders: nothing is written to ~/.jupyter or ~/.local.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JUPYTER_PATH="$root/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_CONFIG_DIR="$root/.cache/jupyter/config"
export JUPYTER_DATA_DIR="$root/.cache/jupyter/data"
export JUPYTER_RUNTIME_DIR="$root/.cache/jupyter/runtime"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
args=("$@")
# Jupyter's server refuses to run as root without --allow-root; containers and CI images often
# are root, and the server listens on loopback only unless told otherwise.
if [[ "${1:-}" == "lab" && "$(id -u)" == "0" ]]; then
  echo "[vqvar] running as root (uid 0): starting JupyterLab with --allow-root" >&2
  args+=(--allow-root)
fi
exec "$root/.venv/bin/${VQVAR_JUPYTER_BIN:-jupyter}" "${args[@]}"
