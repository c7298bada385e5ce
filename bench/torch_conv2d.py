#!/usr/bin/env python3
"""PyTorch's conv2d at AlexNet conv1 (1x3x227x227, 96 filters 11x11, stride 4), float32,
for the side-by-side with `im2col-lab bench --preset alexnet-conv1 --threads T`.

    python3 bench/torch_conv2d.py THREADS [REPEATS]

Prints the median and minimum wall time of REPEATS calls (default 100) after 5 warm-ups.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def main() -> None:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.rand(1, 3, 227, 227) * 2 - 1
    w = torch.rand(96, 3, 11, 11) * 2 - 1
    b = torch.rand(96) * 2 - 1
    with torch.no_grad():
        for _ in range(5):
            F.conv2d(x, w, b, stride=4)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            F.conv2d(x, w, b, stride=4)
            times.append((time.perf_counter() - start) * 1e3)
    print(f"torch conv2d threads={threads} median={statistics.median(times):.3f} ms min={min(times):.3f} ms")


if __name__ == "__main__":
    main()
