#include "im2col/convolution.h"

#include <stdexcept>

#include "im2col/im2col.h"

namespace im2col {
namespace {

Tensor4 MakeTensor(const Scenario& sc, TensorRole role) {
  Tensor4 t = EmptyTensor(sc.shape, role);
  t.data = GenerateValues(sc, role);
  return t;
}

// W_row(f, r) = W[f, c, ky, kx] with r flattened in `order`.
Matrix FlattenFilters(const Tensor4& weights, const Shape& s, Order order) {
  Matrix w_row(s.filters, s.PatchSize());
  for (int f = 0; f < s.filters; ++f) {
    for (Index r = 0; r < s.PatchSize(); ++r) {
      const PatchOffset o = PatchOffsetOf(s, order, r);
      w_row(f, r) = weights(f, o.c, o.ky, o.kx);
    }
  }
  return w_row;
}

// Y_mat (F x N*L) <-> tensor N x F x HO x WO, with columns flattened in `order`.
Tensor4 MatrixToMaps(const Matrix& m, const Shape& s, Order order) {
  Tensor4 t(s.batch, s.filters, s.OutHeight(), s.OutWidth());
  for (Index j = 0; j < m.cols(); ++j) {
    const PatchIndex p = PatchIndexOf(s, order, j);
    for (int f = 0; f < s.filters; ++f) t(p.n, f, p.oy, p.ox) = m(f, j);
  }
  return t;
}

Matrix MapsToMatrix(const Tensor4& t, const Shape& s, Order order) {
  Matrix m(s.filters, s.ColumnCount());
  for (Index j = 0; j < m.cols(); ++j) {
    const PatchIndex p = PatchIndexOf(s, order, j);
    for (int f = 0; f < s.filters; ++f) m(f, j) = t(p.n, f, p.oy, p.ox);
  }
  return m;
}

}  // namespace

bool Computation::PatchesOverlap() const { return overlap.size() > 0 && overlap.maxCoeff() > 1; }

Computation Compute(const Scenario& scenario) {
  const std::vector<std::string> errors = scenario.Validate();
  if (!errors.empty()) {
    std::string all;
    for (const std::string& e : errors) all += (all.empty() ? "" : "; ") + e;
    throw std::invalid_argument(all);
  }
  Computation c;
  c.scenario = scenario;
  c.shape = scenario.shape;
  const Shape& s = c.shape;
  const Order order = scenario.order;

  c.input = MakeTensor(scenario, TensorRole::Input);
  c.weights = MakeTensor(scenario, TensorRole::Weights);
  c.bias = GenerateValues(scenario, TensorRole::Bias);
  c.grad_output = MakeTensor(scenario, TensorRole::GradOutput);

  // Forward: im2col, flatten filters, one GEMM, add bias per row, reshape.
  Im2Col<double>(c.input.data.data(), s, order, c.x_col);
  c.w_row = FlattenFilters(c.weights, s, order);
  c.y_mat.noalias() = c.w_row * c.x_col;
  for (int f = 0; f < s.filters; ++f) c.y_mat.row(f).array() += c.bias[static_cast<size_t>(f)];
  c.output = MatrixToMaps(c.y_mat, s, order);

  // Backward: the FC-layer gradients on the matrices, then col2im sums overlapping patches.
  c.dy_mat = MapsToMatrix(c.grad_output, s, order);
  c.grad_w_row.noalias() = c.dy_mat * c.x_col.transpose();
  c.grad_bias.assign(static_cast<size_t>(s.filters), 0.0);
  for (int f = 0; f < s.filters; ++f) c.grad_bias[static_cast<size_t>(f)] = c.dy_mat.row(f).sum();
  c.grad_weights = Tensor4(s.filters, s.channels, s.kernel.h, s.kernel.w);
  for (int f = 0; f < s.filters; ++f) {
    for (Index r = 0; r < s.PatchSize(); ++r) {
      const PatchOffset o = PatchOffsetOf(s, order, r);
      c.grad_weights(f, o.c, o.ky, o.kx) = c.grad_w_row(f, r);
    }
  }
  c.grad_x_col.noalias() = c.w_row.transpose() * c.dy_mat;
  c.grad_input = Tensor4(s.batch, s.channels, s.height, s.width);
  Col2Im<double>(c.grad_x_col, s, order, c.grad_input.data.data());
  c.grad_input_overwrite = Tensor4(s.batch, s.channels, s.height, s.width);
  Col2ImOverwrite(c.grad_x_col, s, order, c.grad_input_overwrite.data.data());
  c.overlap = OverlapCounts(s);
  return c;
}

std::string ToString(MatrixId id) {
  switch (id) {
    case MatrixId::XCol: return "x_col";
    case MatrixId::WRow: return "w_row";
    case MatrixId::YMat: return "y_mat";
    case MatrixId::GradXCol: return "grad_x_col";
    case MatrixId::GradWRow: return "grad_w_row";
    case MatrixId::DyMat: return "dy_mat";
  }
  return "x_col";
}

const Matrix& CanonicalMatrix(const Computation& c, MatrixId id) {
  switch (id) {
    case MatrixId::XCol: return c.x_col;
    case MatrixId::WRow: return c.w_row;
    case MatrixId::YMat: return c.y_mat;
    case MatrixId::GradXCol: return c.grad_x_col;
    case MatrixId::GradWRow: return c.grad_w_row;
    case MatrixId::DyMat: return c.dy_mat;
  }
  return c.x_col;
}

bool IsTransposedInLayout(MatrixId id, Layout layout) {
  if (layout == Layout::Columns) return false;
  return id == MatrixId::XCol || id == MatrixId::YMat || id == MatrixId::GradXCol || id == MatrixId::DyMat;
}

Matrix DisplayMatrix(const Computation& c, MatrixId id) {
  const Matrix& m = CanonicalMatrix(c, id);
  if (IsTransposedInLayout(id, c.scenario.layout)) return m.transpose();
  return m;
}

Index XColBytes(const Shape& s, Index element_bytes) { return s.PatchSize() * s.ColumnCount() * element_bytes; }
Index InputBytes(const Shape& s, Index element_bytes) {
  return Index{s.batch} * s.channels * s.height * s.width * element_bytes;
}
Index ForwardMacs(const Shape& s) { return Index{s.filters} * s.PatchSize() * s.ColumnCount(); }

}  // namespace im2col
