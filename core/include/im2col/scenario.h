// A scenario: the shape, the chosen layout and order, and how every tensor is
// filled. It is what the UI edits, what files store, and all that core needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "im2col/indexing.h"
#include "im2col/shape.h"
#include "im2col/tensor.h"

namespace im2col {

enum class Fill { Ramp, Random, Ones, Zeros };
std::string ToString(Fill fill);  // "ramp" | "random" | "ones" | "zeros"
std::optional<Fill> ParseFill(const std::string& text);

// Either a generated fill or explicit values (row-major, exactly the tensor's size).
struct TensorSource {
  Fill fill = Fill::Ramp;
  std::vector<double> values;  // non-empty: explicit values, `fill` is ignored
  bool HasValues() const { return !values.empty(); }
  // Explicit values make the fill irrelevant, so it does not take part in equality then.
  friend bool operator==(const TensorSource& a, const TensorSource& b) {
    if (a.HasValues() || b.HasValues()) return a.values == b.values;
    return a.fill == b.fill;
  }
};

// Which tensor a fill or value belongs to (also seeds `random` independently).
enum class TensorRole { Input, Weights, Bias, GradOutput };
std::string ToString(TensorRole role);  // "input" | "weights" | "bias" | "grad_output"

struct Scenario {
  std::string title = "Chapter example: 4x4x3 input, K2 S1 P0 F1";
  Shape shape;
  Layout layout = Layout::Columns;
  Order order = Order::RowMajor;
  TensorSource input{Fill::Ramp, {}};
  TensorSource weights{Fill::Ramp, {}};
  TensorSource bias{Fill::Zeros, {}};
  TensorSource grad_output{Fill::Ones, {}};
  std::uint64_t seed = 1;

  const TensorSource& Source(TensorRole role) const;
  TensorSource& Source(TensorRole role);

  // Shape rules plus: explicit values match their tensor's size, all finite.
  std::vector<std::string> Validate() const;
  friend bool operator==(const Scenario& a, const Scenario& b);
  friend bool operator!=(const Scenario& a, const Scenario& b) { return !(a == b); }
};

// The first two dimensions of the weights: F x C/G for conv (one filter per row of
// W_row), C x F/G for transposed (PyTorch's ConvTranspose2d layout).
struct WeightDims {
  int outer = 0;
  int inner = 0;
};
WeightDims WeightDimsOf(const Shape& s);

// Element counts of each tensor for a shape: N*C*H*W, weights (WeightDimsOf x KH x KW),
// F, N*F*HO*WO.
Index TensorSize(const Shape& s, TensorRole role);
// The four dimensions of each tensor (bias is 1 x 1 x 1 x F).
Tensor4 EmptyTensor(const Shape& s, TensorRole role);

// Values of one tensor: explicit values, or the fill. `ramp` numbers cells 1, 2, 3...
// row-major; `random` gives integers in -4..4 from a portable generator seeded by
// (seed, role), so every product is exact and readable.
std::vector<double> GenerateValues(const Scenario& sc, TensorRole role);

// Largest magnitude accepted for any value, so that sums stay finite and exact-ish.
inline constexpr double kMaxAbsValue = 1e12;

}  // namespace im2col
