#!/usr/bin/env bash
# Installs what is missing, builds im2col-lab and opens it on the chapter's 4x4x3 example.
# Extra arguments go to the app (e.g. scripts/run.sh --preset alexnet-conv1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh app
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DIM2COL_LAB_BUILD_TESTS=OFF -DIM2COL_LAB_BUILD_BENCH=OFF
cmake --build build -j"$(nproc)" --target im2col-lab
exec build/app/im2col-lab "$@"
