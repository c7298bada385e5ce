#!/usr/bin/env python3
"""PyTorch's own convolutions, float32, for the side-by-side with `im2col-lab bench`:

    python3 bench/torch_conv2d.py THREADS [REPEATS] [LAYER|all]

LAYER (default alexnet-conv1), each with its im2col-lab selectors:
  alexnet-conv1          1x3x227x227, 96 filters 11x11, stride 4      --preset alexnet-conv1
  alexnet-conv2-groups2  1x96x27x27, 256 filters 5x5, 2 groups, pad 2 --preset alexnet-conv2-groups2
  depthwise              1x32x112x112, depthwise 3x3, pad 1           --preset mobilenet-depthwise
  transposed-s2          1x256x14x14 -> 128 channels, kernel 4, stride 2, pad 1 (ConvTranspose2d)
                         --op transposed --channels 256 --height 14 --width 14 --filters 128
                         --kernel 4 --stride 2 --padding 1

Prints the median and minimum wall time of REPEATS calls (default 100) after 5 warm-ups,
forward only (torch.no_grad), like im2col-lab's forward entries.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# name: (input shape, weight shape, bias size, call)
LAYERS = {
    "alexnet-conv1": ((1, 3, 227, 227), (96, 3, 11, 11), 96, lambda x, w, b: F.conv2d(x, w, b, stride=4)),
    "alexnet-conv2-groups2": ((1, 96, 27, 27), (256, 48, 5, 5), 256,
                              lambda x, w, b: F.conv2d(x, w, b, padding=2, groups=2)),
    "depthwise": ((1, 32, 112, 112), (32, 1, 3, 3), 32, lambda x, w, b: F.conv2d(x, w, b, padding=1, groups=32)),
    # ConvTranspose2d's weights are C_in x C_out/G x KH x KW.
    "transposed-s2": ((1, 256, 14, 14), (256, 128, 4, 4), 128,
                      lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1)),
}


def measure(name: str, threads: int, repeats: int) -> None:
    input_shape, weight_shape, bias_size, call = LAYERS[name]
    torch.manual_seed(0)
    x = torch.rand(*input_shape) * 2 - 1
    w = torch.rand(*weight_shape) * 2 - 1
    b = torch.rand(bias_size) * 2 - 1
    with torch.no_grad():
        for _ in range(5):
            call(x, w, b)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call(x, w, b)
            times.append((time.perf_counter() - start) * 1e3)
    print(f"torch {name} threads={threads} median={statistics.median(times):.3f} ms min={min(times):.3f} ms")


def main() -> None:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    layer = sys.argv[3] if len(sys.argv) > 3 else "alexnet-conv1"
    if layer != "all" and layer not in LAYERS:
        sys.exit(f"LAYER: expected one of {', '.join(LAYERS)} or all, got {layer!r}")
    torch.set_num_threads(threads)
    for name in LAYERS if layer == "all" else [layer]:
        measure(name, threads, repeats)


if __name__ == "__main__":
    main()
