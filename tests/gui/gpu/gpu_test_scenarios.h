// Scenarios shared by the GPU tests: the chapter's AlexNet conv1 example.
#pragma once

#include "im2col/convolution.h"
#include "im2col/scenario.h"

namespace im2col::gpu_test {

// 227x227x3 input, 96 filters 11x11, stride 4, pad 0 (X_col 363 x 3025); random
// integers in -4..4 so magnitudes vary from cell to cell.
inline Scenario AlexNetScenario() {
  Scenario sc;
  sc.title = "AlexNet conv1";
  sc.shape.batch = 1;
  sc.shape.channels = 3;
  sc.shape.height = 227;
  sc.shape.width = 227;
  sc.shape.filters = 96;
  sc.shape.kernel = {11, 11};
  sc.shape.stride = {4, 4};
  sc.shape.padding = {0, 0};
  sc.input.fill = Fill::Random;
  sc.weights.fill = Fill::Random;
  sc.seed = 7;
  return sc;
}

// Computed once per test binary (forward and backward: a fraction of a second).
inline const Computation& AlexNet() {
  static const Computation c = Compute(AlexNetScenario());
  return c;
}

}  // namespace im2col::gpu_test
