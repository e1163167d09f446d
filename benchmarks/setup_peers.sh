#!/usr/bin/env bash
# Create the peer virtual environments the benchmark compares myelin against:
#   benchmarks/.venv-tf     tensorflow-cpu==2.21.0 (Keras 3)
#   benchmarks/.venv-torch  torch==2.13.0 (CPU build) + numpy
# Idempotent: a venv whose framework already imports at the pinned version is left alone.
# The peers live in their own venvs so neither ever becomes a dependency of myelin.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
export TF_CPP_MIN_LOG_LEVEL=2  # keep TensorFlow's start-up banner out of the log
# The torch wheel in /opt/wheels is CPU-only; --find-links is harmless where it is absent.
find_links=()
[ -d /opt/wheels ] && find_links=(--find-links /opt/wheels)

make_venv() {  # make_venv NAME IMPORT_CHECK PACKAGE...
    local venv="$here/$1" check="$2"
    shift 2
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$check" 2>/dev/null; then
        echo "$venv: up to date"
        return
    fi
    echo "$venv: installing $*"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet "${find_links[@]}" "$@"
    "$venv/bin/python" -c "$check"
    echo "$venv: ready"
}

make_venv .venv-torch \
    "import torch, numpy; assert torch.__version__.startswith('2.13.0'), torch.__version__" \
    torch==2.13.0 numpy
make_venv .venv-tf \
    "import tensorflow as tf; assert tf.__version__ == '2.21.0', tf.__version__" \
    tensorflow-cpu==2.21.0
