// Asks core for the two other roads to a transposed output and counts equal cells.
#include "gui/state/equivalence_view.h"

#include <algorithm>
#include <cmath>

namespace im2col::gui {
namespace {

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

}  // namespace

std::shared_ptr<const EquivalenceView> ComputeEquivalence(const Computation& t) {
  const Shape& s = t.shape;
  if (s.op != Op::Transposed || t.output.Size() > kMaxEquivalenceCells) return nullptr;
  auto view = std::make_shared<EquivalenceView>();
  view->cells = t.output.Size();
  view->zero = ZeroInsertionRoad(t);
  for (Index k = 0; k < view->cells; ++k) view->equal_zero += Near(view->zero.output.data[static_cast<size_t>(k)], t.output.data[static_cast<size_t>(k)]);
  const std::optional<Scenario> conv = MatchingConv(t.scenario, &view->why);
  if (conv && conv->shape.MemoryBytes() <= static_cast<double>(kMaxScenarioBytes)) {
    view->conv = std::make_shared<const Computation>(Compute(*conv));
    view->conv_dx = view->conv->grad_input;
    for (int n = 0; n < view->conv_dx.n; ++n)
      for (int f = 0; f < view->conv_dx.c; ++f)
        for (int y = 0; y < view->conv_dx.h; ++y)
          for (int x = 0; x < view->conv_dx.w; ++x) view->conv_dx(n, f, y, x) += t.bias[static_cast<size_t>(f)];
    for (Index k = 0; k < view->cells; ++k) view->equal_conv += Near(view->conv_dx.data[static_cast<size_t>(k)], t.output.data[static_cast<size_t>(k)]);
    // Before its col2im the conv's dX_col is this x_col: the same matrix, cell by cell.
    const Matrix& dx_col = view->conv->grad_x_col;
    view->x_col_cells = t.x_col.size();
    if (dx_col.rows() == t.x_col.rows() && dx_col.cols() == t.x_col.cols()) {
      for (Index r = 0; r < dx_col.rows(); ++r)
        for (Index j = 0; j < dx_col.cols(); ++j) view->equal_x_col += Near(dx_col(r, j), t.x_col(r, j));
    }
  }
  return view;
}

}  // namespace im2col::gui
