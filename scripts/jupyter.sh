#!/usr/bin/env bash
# Runs the venv's Jupyter with project-local kernelspecs (jupyter/kernels) and
# project-local config/data/runtime folders: nothing is written to ~/.jupyter or ~/.local.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JUPYTER_PATH="$root/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_CONFIG_DIR="$root/.cache/jupyter/config"
export JUPYTER_DATA_DIR="$root/.cache/jupyter/data"
export JUPYTER_RUNTIME_DIR="$root/.cache/jupyter/runtime"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
exec "$root/.venv/bin/${VQVAR_JUPYTER_BIN:-jupyter}" "$@"
