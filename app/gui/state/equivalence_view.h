// The "same as the conv's dX" view of a transposed scenario: core's two other roads to
// its output (the matching conv's backward pass, and zero insertion + a flipped-kernel
// conv), computed once per computation and compared cell by cell. No ImGui, no GL.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "im2col/convolution.h"
#include "im2col/equivalence.h"

namespace im2col::gui {

struct EquivalenceView {
  std::shared_ptr<const Computation> conv;  // the matching conv (null: none, see `why`)
  std::string why;
  Tensor4 conv_dx;          // conv's dX + bias: what the transposed output should equal
  ZeroInsertion zero;       // the zero-insertion road (output includes the bias)
  Index cells = 0;          // N*F*HO*WO
  Index equal_conv = 0;     // cells where conv's dX + b == output
  Index equal_zero = 0;     // cells where the zero-insertion conv == output
  Index x_col_cells = 0;    // R*N*L
  Index equal_x_col = 0;    // cells where the conv's dX_col (W_rowᵀ · its dY_mat) == x_col
};

// Scenarios up to this many output cells are compared (both roads are plain loops).
inline constexpr Index kMaxEquivalenceCells = 200000;

// For a transposed computation (null otherwise, or when it has too many cells).
std::shared_ptr<const EquivalenceView> ComputeEquivalence(const Computation& transposed);

}  // namespace im2col::gui
