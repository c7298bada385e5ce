// Convolution geometry: sizes, output extent and validation.
// The formulas are the ones docs/cli.md lists under "Index semantics".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace im2col {

using Index = std::int64_t;

// A per-axis pair: (height, width) for kernel, stride, padding and dilation.
struct Pair {
  int h = 1;
  int w = 1;
  friend bool operator==(const Pair& a, const Pair& b) { return a.h == b.h && a.w == b.w; }
  friend bool operator!=(const Pair& a, const Pair& b) { return !(a == b); }
};

// Hard limits on what a user may ask for, so no input allocates unbounded memory.
// X_col (and every other matrix or tensor) must fit in kMaxMatrixBytes as doubles.
inline constexpr Index kMaxMatrixBytes = Index{256} * 1024 * 1024;
inline constexpr Index kMaxMatrixCells = kMaxMatrixBytes / Index{sizeof(double)};
inline constexpr int kMaxDimension = 1 << 20;  // any single size, stride, padding or dilation

// One memory budget per scenario: everything the app keeps for it must fit in
// kMaxScenarioBytes (see Shape::MemoryBytes). The per-matrix cap above stays as the
// first, more specific message; the budget is what bounds a process.
inline constexpr Index kMaxScenarioBytes = Index{1} << 30;  // 1 GB
// Which operator the shape describes: an ordinary (possibly grouped) convolution, or
// its transpose (PyTorch's ConvTranspose2d), which runs the conv's backward-data path
// forward.
enum class Op { Conv, Transposed };
std::string ToString(Op op);  // "conv" | "transposed"
std::optional<Op> ParseOp(const std::string& text);

struct Shape {
  int batch = 1;     // N
  int channels = 3;  // C
  int height = 4;    // H
  int width = 4;     // W
  int filters = 1;   // F
  Pair kernel{2, 2};    // KH x KW
  Pair stride{1, 1};    // SH x SW
  Pair padding{0, 0};   // PH x PW, zeros on both sides
  Pair dilation{1, 1};  // DH x DW
  int groups = 1;       // G: C and F divisible by G; G = C is depthwise
  Op op = Op::Conv;
  Pair output_padding{0, 0};  // OPH x OPW, extra output rows/columns; transposed only

  // conv:       HO = floor((H + 2*PH - DH*(KH-1) - 1) / SH) + 1
  // transposed: HO = (H - 1)*SH - 2*PH + DH*(KH-1) + OPH + 1
  // Meaningful only when valid (0 when the formula gives less than 1).
  int OutHeight() const;
  int OutWidth() const;

  // The two roles X_col's geometry plays. Its columns walk a grid (GridHeight x
  // GridWidth): the output positions (oy, ox) for conv, the input pixels (iy, ix) for
  // transposed. Its cells copy from (conv) or scatter into (transposed) an image of
  // ImageHeight x ImageWidth with PatchChannels channels: the input H x W with C
  // channels for conv, the output HO x WO with F channels for transposed. The
  // formula is the same: coordinate = grid*stride - padding + kernel*dilation.
  int GridHeight() const;
  int GridWidth() const;
  int ImageHeight() const;
  int ImageWidth() const;
  int PatchChannels() const;

  // L = GridHeight*GridWidth columns per image (HO*WO for conv, H*W for transposed).
  Index PatchCount() const;
  // R = PatchChannels*KH*KW rows of X_col (C*KH*KW for conv, F*KH*KW for transposed).
  Index PatchSize() const;
  // N*L columns of X_col.
  Index ColumnCount() const;
  // Rows of W_row: F for conv, C for transposed.
  Index WeightRows() const { return op == Op::Transposed ? channels : filters; }
  // The group g of a filter f (conv) or an input channel c (transposed), given as the
  // index along W_row's rows, and of a patch channel (the c of X_col's rows).
  int GroupOfWeightRow(Index row) const;
  int GroupOfPatchChannel(int c) const;

  // Bytes the app keeps for a scenario of this shape, as a double (never overflows):
  // every tensor and matrix of the forward and backward pass as doubles (input,
  // weights, bias, grad_output, X_col, W_row, Y_mat, output, dY_mat, dW_row,
  // grad_weights, grad_bias, dX_col, grad_input twice (sum and overwrite), the int
  // overlap counts), one copy of the scenario's own input, weights and grad_output
  // values, and the float copies the window draws from (X_col, dX_col, Y_mat, dY_mat,
  // input, grad_input). A command's output streams and adds no more than a line.
  double MemoryBytes() const;

  // Every broken rule, each naming the field, the rule and the numbers, e.g.
  // "kernel 5x5 with dilation 1 needs height + 2*padding >= 5, got 3 + 2*0 = 3".
  // Empty means valid. Includes the memory cap on every matrix and tensor and the
  // whole scenario's budget ("this scenario needs 3.2 GB of memory; the limit is 1 GB").
  std::vector<std::string> Validate() const;
  bool IsValid() const { return Validate().empty(); }

  // Remarks about a valid shape that a student should know, e.g. that the last
  // input rows are never visited because the stride does not divide evenly.
  std::vector<std::string> Notes() const;

  // Number of image rows (columns) at the bottom (right) that no window reaches
  // (padding excluded); 0 for an invalid shape and for transposed.
  int UnvisitedRows() const;
  int UnvisitedCols() const;

  friend bool operator==(const Shape& a, const Shape& b);
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }
};

// "3x2" for kernel-like pairs, "3" when square.
std::string FormatPair(const Pair& p);

}  // namespace im2col
