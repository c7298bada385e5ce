#include "gui/state/hover.h"

#include <algorithm>

namespace im2col::gui {

HoverTarget HoverTarget::Tensor(Kind kind, int n, int c, int y, int x) {
  HoverTarget t;
  t.kind = kind;
  t.n = n;
  t.c = c;
  t.y = y;
  t.x = x;
  return t;
}

HoverTarget HoverTarget::Matrix(Kind kind, Index r, Index j) {
  HoverTarget t;
  t.kind = kind;
  t.r = r;
  t.j = j;
  return t;
}

bool operator==(const HoverTarget& a, const HoverTarget& b) {
  return a.kind == b.kind && a.n == b.n && a.c == b.c && a.y == b.y && a.x == b.x && a.r == b.r &&
         a.j == b.j;
}

namespace {

using Kind = HoverTarget::Kind;

std::string Join4(const char* name, int a, int b, int c, int d) {
  return std::string(name) + "[" + std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) +
         "," + std::to_string(d) + "]";
}

// Matrix indices as displayed: rows layout shows the transpose of X_col, Y, dY, dX_col.
std::string MatrixName(const Computation& c, const char* name, MatrixId id, Index r, Index j) {
  const bool transposed = IsTransposedInLayout(id, c.scenario.layout);
  std::string shown = name;
  if (transposed) {
    if (id == MatrixId::XCol) shown = "X_row";
    if (id == MatrixId::GradXCol) shown = "dX_row";
    if (id == MatrixId::YMat) shown = "Y\xE1\xB5\x80";  // Yᵀ
    if (id == MatrixId::DyMat) shown = "dY\xE1\xB5\x80";
    std::swap(r, j);
  }
  return shown + "[" + std::to_string(r) + "," + std::to_string(j) + "]";
}

bool InRange(const Computation& c, const HoverTarget& t) {
  const Shape& s = c.shape;
  const Index rows = s.PatchSize(), cols = s.ColumnCount();
  switch (t.kind) {
    case Kind::None: return false;
    case Kind::InputPixel:
    case Kind::GradInputPixel:
      return t.n >= 0 && t.n < s.batch && t.c >= 0 && t.c < s.channels && t.y >= -s.padding.h &&
             t.y < s.height + s.padding.h && t.x >= -s.padding.w && t.x < s.width + s.padding.w;
    case Kind::WeightCell:
      return t.n >= 0 && t.n < s.filters && t.c >= 0 && t.c < s.channels / s.groups && t.y >= 0 && t.y < s.kernel.h &&
             t.x >= 0 && t.x < s.kernel.w;
    case Kind::OutputCell:
    case Kind::GradOutputCell:
      return t.n >= 0 && t.n < s.batch && t.c >= 0 && t.c < s.filters && t.y >= 0 && t.y < s.OutHeight() &&
             t.x >= 0 && t.x < s.OutWidth();
    case Kind::XColCell:
    case Kind::GradXColCell: return t.r >= 0 && t.r < rows && t.j >= 0 && t.j < cols;
    case Kind::WRowCell:
    case Kind::GradWRowCell: return t.r >= 0 && t.r < s.filters && t.j >= 0 && t.j < rows;
    case Kind::YCell:
    case Kind::DyCell: return t.r >= 0 && t.r < s.filters && t.j >= 0 && t.j < cols;
  }
  return false;
}

// The receptive field of column j over every channel, asked of core cell by cell.
void AddWindow(const Computation& c, Index j, HoverLinks& links) {
  const Index rows = c.shape.PatchSize();
  for (Index r = 0; r < rows; ++r) links.input_coords.push_back(SourceOf(c.shape, c.scenario.order, r, j));
}

// An output position (Y cell, output cell, dY cell): its column, filter and window.
void LinkOutputColumn(const Computation& c, Index f, Index j, HoverLinks& links) {
  const PatchIndex p = PatchIndexOf(c.shape, c.scenario.order, j);
  links.column = j;
  links.filter = f;
  links.output = Pixel{p.n, static_cast<int>(f), p.oy, p.ox};
  AddWindow(c, j, links);
}

// A weight position (W_row cell, weight, dW cell): its row of X_col and its weight.
void LinkWeight(const Computation& c, Index f, Index r, HoverLinks& links) {
  const PatchOffset o = PatchOffsetOf(c.shape, c.scenario.order, r);
  links.filter = f;
  links.patch_row = r;
  links.w_row_cell = Cell{f, r};
  links.weight = Pixel{static_cast<int>(f), o.c, o.ky, o.kx};
}

}  // namespace

std::string Describe(const Computation& c, const HoverTarget& t) {
  switch (t.kind) {
    case Kind::None: return "";
    case Kind::InputPixel: return Join4("x", t.n, t.c, t.y, t.x);
    case Kind::GradInputPixel: return Join4("dX", t.n, t.c, t.y, t.x);
    case Kind::WeightCell: return Join4("W", t.n, t.c, t.y, t.x);
    case Kind::OutputCell: return Join4("out", t.n, t.c, t.y, t.x);
    case Kind::GradOutputCell: return Join4("dY", t.n, t.c, t.y, t.x);
    case Kind::XColCell: return MatrixName(c, "X_col", MatrixId::XCol, t.r, t.j);
    case Kind::GradXColCell: return MatrixName(c, "dX_col", MatrixId::GradXCol, t.r, t.j);
    case Kind::WRowCell: return MatrixName(c, "W_row", MatrixId::WRow, t.r, t.j);
    case Kind::GradWRowCell: return MatrixName(c, "dW_row", MatrixId::GradWRow, t.r, t.j);
    case Kind::YCell: return MatrixName(c, "Y", MatrixId::YMat, t.r, t.j);
    case Kind::DyCell: return MatrixName(c, "dY", MatrixId::DyMat, t.r, t.j);
  }
  return "";
}

std::optional<double> ValueOf(const Computation& c, const HoverTarget& t) {
  auto tensor = [&](const Tensor4& a) -> std::optional<double> {
    if (t.n < 0 || t.n >= a.n || t.c < 0 || t.c >= a.c || t.y < 0 || t.y >= a.h || t.x < 0 || t.x >= a.w) return {};
    return a(t.n, t.c, t.y, t.x);
  };
  auto matrix = [&](const Matrix& m) -> std::optional<double> {
    if (t.r < 0 || t.r >= m.rows() || t.j < 0 || t.j >= m.cols()) return {};
    return m(t.r, t.j);
  };
  switch (t.kind) {
    case Kind::None: return std::nullopt;
    case Kind::InputPixel: return tensor(c.input);
    case Kind::GradInputPixel: return tensor(c.grad_input);
    case Kind::WeightCell: return tensor(c.weights);
    case Kind::OutputCell: return tensor(c.output);
    case Kind::GradOutputCell: return tensor(c.grad_output);
    case Kind::XColCell: return matrix(c.x_col);
    case Kind::GradXColCell: return matrix(c.grad_x_col);
    case Kind::WRowCell: return matrix(c.w_row);
    case Kind::GradWRowCell: return matrix(c.grad_w_row);
    case Kind::YCell: return matrix(c.y_mat);
    case Kind::DyCell: return matrix(c.dy_mat);
  }
  return std::nullopt;
}

HoverLinks LinksOf(const Computation& c, const HoverTarget& t) {
  HoverLinks links;
  if (!InRange(c, t)) return links;
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  switch (t.kind) {
    case Kind::None: break;
    case Kind::InputPixel:
    case Kind::GradInputPixel: {
      const bool in_image = t.y >= 0 && t.y < s.height && t.x >= 0 && t.x < s.width;
      links.input_coords.push_back(SourceCoord{t.n, t.c, t.y, t.x, in_image});
      if (in_image) {
        links.x_col_cells = CopiesOf(s, order, Pixel{t.n, t.c, t.y, t.x});
        links.copy_count = static_cast<Index>(links.x_col_cells.size());
      }
      break;
    }
    case Kind::XColCell:
    case Kind::GradXColCell: {
      links.source = SourceOf(s, order, t.r, t.j);
      links.x_col_cells.push_back(Cell{t.r, t.j});
      links.column = t.j;
      AddWindow(c, t.j, links);
      break;
    }
    case Kind::WRowCell:
    case Kind::GradWRowCell: LinkWeight(c, t.r, t.j, links); break;
    case Kind::WeightCell:
      LinkWeight(c, t.n, RowOf(s, order, PatchOffset{t.c, t.y, t.x}), links);
      break;
    case Kind::YCell:
    case Kind::DyCell: LinkOutputColumn(c, t.r, t.j, links); break;
    case Kind::OutputCell:
    case Kind::GradOutputCell:
      LinkOutputColumn(c, t.c, ColumnOf(s, order, PatchIndex{t.n, t.y, t.x}), links);
      break;
  }
  return links;
}

bool HoverLinks::InputLinked(int n, int c, int y, int x) const {
  return std::any_of(input_coords.begin(), input_coords.end(), [&](const SourceCoord& s) {
    return s.n == n && s.c == c && s.y == y && s.x == x;
  });
}

bool HoverLinks::XColLinked(Index r, Index j) const {
  if ((column && *column == j) || (patch_row && *patch_row == r)) return true;
  return std::any_of(x_col_cells.begin(), x_col_cells.end(),
                     [&](const Cell& cell) { return cell.r == r && cell.j == j; });
}

bool HoverLinks::WRowLinked(Index f, Index r) const {
  if (w_row_cell) return w_row_cell->r == f && w_row_cell->j == r;
  return filter && *filter == f;  // an output position links its whole filter row
}

bool HoverLinks::YLinked(Index f, Index j) const {
  return filter && column && *filter == f && *column == j;
}

bool HoverLinks::WeightLinked(int f, int c, int ky, int kx) const {
  return weight && weight->n == f && weight->c == c && weight->y == ky && weight->x == kx;
}

bool HoverLinks::OutputLinked(int n, int f, int oy, int ox) const {
  return output && output->n == n && output->c == f && output->y == oy && output->x == ox;
}

bool HoverLinks::Empty() const {
  return input_coords.empty() && x_col_cells.empty() && !column && !patch_row && !filter && !w_row_cell &&
         !weight && !output;
}

}  // namespace im2col::gui
