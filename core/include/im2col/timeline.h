// The animation as data. Core lists the steps; the state at step s is a pure
// function of (computation, s). Stepping back is just asking for a smaller s.
//
// Phases and their steps, in order (R = C*KH*KW, NL = N*HO*WO):
//   extract      R*NL  one X_col cell (r, j), column by column, rows in order
//   flatten      F     filter f becomes row f of W_row
//   multiply     F*NL  one dot product Y(f, j), row by row
//   reshape      N*F   output map (n, f) filled from row f of Y
//   grad-output  N*F   dY map (n, f) laid into row f of dY_mat
//   grad-weights F*R   one cell dW_row(f, r) = dY_mat(f, :) . X_col(r, :)
//   grad-x-col   NL    one column dX_col(:, j) = W_row^T dY_mat(:, j)
//   col2im       NL    column j of dX_col scatter-added into dX
//
// Op transposed has its own phases (R = F*KH*KW, NL = N*H*W, one column per input pixel):
//   flatten      C     input channel c's weights become row c of W_row
//   multiply     R*NL  one X_col cell (r, j) = W_row[:, r] . x_mat[:, j], column by column
//   col2im       NL    column j of X_col scatter-added into the output (+ bias), overlap heat
//   grad-output  N*F   dY map (n, f)
//   grad-x-col   R*NL  one grad_x_col cell = im2col of dY, column by column
//   grad-input   C*NL  one dot product dX_mat(c, j) = W_row[c, :] . grad_x_col[:, j], row by row
//   grad-weights C*R   one cell dW_row(c, r) = x_mat[c, :] . grad_x_col[r, :]
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/indexing.h"

namespace im2col {

enum class Phase { Extract, Flatten, Multiply, Reshape, GradOutput, GradWeights, GradXCol, Col2im, GradInput };
// The conv's phases in order (GradInput is the transposed operator's only).
inline constexpr int kPhaseCount = 8;
inline constexpr std::array<Phase, kPhaseCount> kAllPhases = {
    Phase::Extract,    Phase::Flatten,     Phase::Multiply, Phase::Reshape,
    Phase::GradOutput, Phase::GradWeights, Phase::GradXCol, Phase::Col2im};
inline constexpr int kTransposedPhaseCount = 7;
inline constexpr std::array<Phase, kTransposedPhaseCount> kTransposedPhases = {
    Phase::Flatten,  Phase::Multiply,  Phase::Col2im,     Phase::GradOutput,
    Phase::GradXCol, Phase::GradInput, Phase::GradWeights};

std::string ToString(Phase phase);   // "extract", "flatten", ..., "col2im", "grad-input"
std::string PhaseTitle(Phase phase); // "Extract patches", ...
bool IsBackward(Phase phase);  // conv: grad-output and everything after it
bool IsBackward(Phase phase, Op op);  // transposed: its col2im is forward

struct Step {
  Index index = 0;  // global step number
  Phase phase = Phase::Extract;
  Index item = 0;   // index within the phase, see the table above
};

class Timeline {
 public:
  explicit Timeline(const Shape& shape);
  Index StepCount() const { return total_; }
  // A phase the operator does not have has length 0 and begins at StepCount().
  Index PhaseBegin(Phase phase) const;
  Index PhaseLength(Phase phase) const;
  Step At(Index step) const;  // step is clamped to [0, StepCount())
  const Shape& shape() const { return shape_; }
  // The operator's phases in order (kAllPhases for conv, kTransposedPhases).
  const std::vector<Phase>& Phases() const { return phases_; }
  // Position of `phase` in Phases(), or -1 when the operator does not have it.
  int PositionOf(Phase phase) const;

 private:
  Shape shape_;
  std::vector<Phase> phases_;
  std::vector<Index> begin_;  // phases_.size() + 1 entries
  Index total_ = 0;
};

// How far one "step" of the transport goes: one cell, one patch (a column of X_col, a
// row of X_row), one row (the phase's outer loop: a row of window positions in
// extract, dX_col and col2im -- a column of them in column-major order --, one filter's
// row of Y or dW_row, one image's maps in reshape and dY) or a whole phase. The
// animation still stores a step index; the granularity only chooses which steps are
// visited. Op transposed: a patch is one column of the matrix its multiply / grad-x-col
// fill column by column (one input pixel's R values), a row there and in col2im is a row
// of input pixels; a row of grad-input / grad-weights is one row of dX_mat / dW_row.
enum class Granularity { Cell, Patch, Row, Phase };
inline constexpr int kGranularityCount = 4;
std::string ToString(Granularity granularity);  // "cell", "patch", "row", "phase"
std::optional<Granularity> ParseGranularity(const std::string& text);

// Steps in one unit of `granularity` within `phase` (>= 1 for a non-empty phase;
// units never straddle a phase boundary, the last one may be shorter).
Index UnitLength(const Timeline& timeline, Order order, Phase phase, Granularity granularity);

// The step one unit away from `step`: direction > 0 gives the start of the next unit
// (the last step when there is none), direction < 0 the start of the unit holding
// `step` when `step` is inside it, else the start of the previous unit (0 at the start).
// O(phases): no scanning of steps.
Index NextBoundary(const Timeline& timeline, Order order, Index step, Granularity granularity, int direction);

// One line saying what step s does, e.g. "copy x[0,0,0,0] into X_col[0,0]" (pixels
// always as x[n,c,y,x]; products with "·", transposes with "ᵀ").
std::string StepLabel(const Computation& c, const Step& step);

// A dot product written out: sum of a[i]*b[i] (+ bias) = result.
struct DotProduct {
  std::vector<double> a, b;
  double bias = 0.0;
  bool has_bias = false;
  double result = 0.0;
};

struct FrameState {
  Step step;
  Index rows = 0;     // R, for the cell queries below
  Index columns = 0;  // N*L

  // Progress: how many items of each phase are complete at this step (the
  // current item counts as complete). Earlier phases are full, later ones empty.
  Index x_col_cells = 0;       // extract order
  Index w_row_rows = 0;        // flatten
  Index y_cells = 0;           // multiply order
  Index output_maps = 0;       // reshape, (n, f) in order n*F + f
  Index dy_maps = 0;           // grad-output
  Index grad_w_cells = 0;      // grad-weights order
  Index grad_x_col_columns = 0;// grad-x-col
  Index col2im_columns = 0;    // col2im
  // Transposed only: multiply fills x_col_cells (X_col, column by column), grad-x-col
  // fills grad_x_col_cells in the same order, grad-input fills grad_input_cells (c*NL + j).
  Index grad_x_col_cells = 0;
  Index grad_input_cells = 0;

  // Focus: what is highlighted at this step.
  std::optional<Cell> focus_cell;          // X_col / dW_row / Y cell being written
  std::optional<Index> focus_column;       // column j of X_col (and Y, dX_col)
  std::optional<Index> focus_filter;       // row f of W_row / Y / dY_mat
  std::optional<Index> focus_patch_row;    // row r of X_col (grad-weights)
  std::optional<Pixel> focus_pixel;        // source pixel of the extract step
  std::optional<Window> focus_window;      // receptive field of focus_column
  std::optional<DotProduct> dot;           // multiply / grad-weights

  // Col2im accumulation, sized N x C x H x W once col2im has started (transposed: its
  // forward col2im into the output, N x F x HO x WO, without the bias).
  Tensor4 partial_grad_input;            // summed (+=) so far
  Tensor4 partial_grad_input_overwrite;  // overwritten (=) so far
  Tensor4 partial_overlap;               // scatter-adds received so far (counts)

  // Cell queries in canonical indices.
  bool XColFilled(Index r, Index j) const { return j * rows + r < x_col_cells; }
  bool WRowFilled(Index f) const { return f < w_row_rows; }
  bool YFilled(Index f, Index j) const { return f * columns + j < y_cells; }
  bool OutputMapFilled(int n, int f, int filters) const { return Index{n} * filters + f < output_maps; }
  bool DyMapFilled(int n, int f, int filters) const { return Index{n} * filters + f < dy_maps; }
  bool GradWFilled(Index f, Index r) const { return f * rows + r < grad_w_cells; }
  bool GradXColFilled(Index j) const { return j < grad_x_col_columns; }
  bool GradXColCellFilled(Index r, Index j) const { return j * rows + r < grad_x_col_cells; }
  bool GradInputFilled(Index c, Index j) const { return c * columns + j < grad_input_cells; }
  bool Col2ImDone(Index j) const { return j < col2im_columns; }
};

// The state after step `step` (clamped). Pure: the same inputs give the same state.
FrameState StateAt(const Computation& c, const Timeline& t, Index step);

// The terms added so far into dX at `pixel` during col2im (columns < columns_done),
// in the order they were added, e.g. for "dX[1,2] = 3 + 5 + 1 = 9". For op transposed
// `pixel` is an output pixel (n, f, y, x) and the terms come from X_col (its forward col2im).
struct Contribution {
  Cell cell;
  double value;
};
std::vector<Contribution> Col2ImContributions(const Computation& c, const Pixel& pixel,
                                              Index columns_done);

// Two or three plain sentences on what happens at this step, for the explanation panel.
std::string Explain(const Computation& c, const FrameState& state);

}  // namespace im2col
