#include "im2col/convolution.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "im2col/fast_conv.h"
#include "im2col/im2col.h"
#include "im2col/memory.h"
#include "conv_kernels.h"

namespace im2col {
namespace {

// Sizes `m` and asks for huge pages before anything writes it (im2col/memory.h).
void ResizeFresh(Matrix& m, Index rows, Index cols) {
  m.resize(rows, cols);
  AdviseHugePages(m.data(), static_cast<size_t>(m.size()) * sizeof(double));
}

// The fast paths of fast_conv.cpp write straight into the computation's matrices, split
// over a pool of this many threads; with more than one, each part's GEMM gets one BLAS
// thread (fast_conv.h: the parts already use the cores).
int PoolThreads(int threads) {
  threads = std::clamp(threads, kMinThreads, kMaxThreads);
  if (threads > 1) LimitBlasThreads(1);
  return threads;
}

Tensor4 MakeTensor(const Scenario& sc, TensorRole role) {
  Tensor4 t = EmptyTensor(sc.shape, role);
  t.data = GenerateValues(sc, role);
  return t;
}

// W_row(f, r) = W[f, c - g*C/G, ky, kx] with r flattened in `order` when channel c is
// in filter f's group g, else 0 (block-diagonal). Transposed: W_row(c, r(f, ky, kx)) =
// W[c, f - g*F/G, ky, kx] in c's group. With one group every cell is a weight.
Matrix FlattenFilters(const Tensor4& weights, const Shape& s, Order order) {
  Matrix w_row = Matrix::Zero(s.WeightRows(), s.PatchSize());
  const int per_group = s.PatchChannels() / s.groups;
  for (Index w = 0; w < s.WeightRows(); ++w) {
    const int group = s.GroupOfWeightRow(w);
    for (Index r = 0; r < s.PatchSize(); ++r) {
      const PatchOffset o = PatchOffsetOf(s, order, r);
      if (o.c / per_group != group) continue;
      w_row(w, r) = weights(static_cast<int>(w), o.c - group * per_group, o.ky, o.kx);
    }
  }
  return w_row;
}

// The weights' shape from the diagonal blocks of W_row, the inverse of FlattenFilters.
Tensor4 UnflattenFilters(const Matrix& w_row, const Shape& s, Order order) {
  const WeightDims d = WeightDimsOf(s);
  Tensor4 weights(d.outer, d.inner, s.kernel.h, s.kernel.w);
  const int per_group = s.PatchChannels() / s.groups;
  for (Index w = 0; w < s.WeightRows(); ++w) {
    const int group = s.GroupOfWeightRow(w);
    for (Index r = 0; r < s.PatchSize(); ++r) {
      const PatchOffset o = PatchOffsetOf(s, order, r);
      if (o.c / per_group != group) continue;
      weights(static_cast<int>(w), o.c - group * per_group, o.ky, o.kx) = w_row(w, r);
    }
  }
  return weights;
}

void ThrowIfInvalid(const Scenario& scenario) {
  const std::vector<std::string> errors = scenario.Validate();
  if (errors.empty()) return;
  std::string all;
  for (const std::string& e : errors) all += (all.empty() ? "" : "; ") + e;
  throw std::invalid_argument(all);
}

// Transposed forward: x_mat = the input as C x N*L, x_col = W_row^T * x_mat, and
// col2im scatter-adds x_col into the output (cells outside are dropped), plus bias.
void ForwardTransposed(Computation& c, int threads) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  WorkerPool pool(PoolThreads(threads));
  const kernels::Geometry g(s, order);
  const Index channels = s.channels;
  ResizeFresh(c.x_mat, channels, s.ColumnCount());
  kernels::ReshapePass(pool, g, order, channels, kDefaultMinWorkPerThread, c.input.data.data(), /*to_tensor=*/false,
                       c.x_mat.data());
  ResizeFresh(c.x_col, s.PatchSize(), s.ColumnCount());
  kernels::BackwardProducts<double>(pool, g, channels, kDefaultMinWorkPerThread, nullptr, c.w_row.data(),
                                    c.x_mat.data(), nullptr, nullptr, c.x_col.data());
  c.output = Tensor4(s.batch, s.filters, s.OutHeight(), s.OutWidth());
  kernels::Col2ImPass(pool, g, kDefaultMinWorkPerThread, c.x_col.data(), c.output.data.data());
  const Index plane = Index{s.OutHeight()} * s.OutWidth();
  for (Index map = 0; map < Index{s.batch} * s.filters; ++map) {
    const double b = c.bias[static_cast<size_t>(map % s.filters)];
    for (Index i = 0; i < plane; ++i) c.output.data[static_cast<size_t>(map * plane + i)] += b;
  }
}

// Transposed backward: grad_x_col = im2col(dY), dX = W_row * grad_x_col reshaped,
// dW_row = x_mat * grad_x_col^T, db = sums of dY.
void BackwardTransposed(Computation& c, int threads) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Index channels = s.channels, rows = s.PatchSize(), columns = s.ColumnCount();
  if (c.x_mat.rows() != channels || c.x_mat.cols() != columns || c.w_row.rows() != channels ||
      c.w_row.cols() != rows ||
      c.grad_output.Size() != Index{s.batch} * s.filters * s.OutHeight() * s.OutWidth()) {
    throw std::invalid_argument("ComputeBackward: the computation does not come from ComputeForward of its shape");
  }
  WorkerPool pool(PoolThreads(threads));
  const kernels::Geometry g(s, order);
  ResizeFresh(c.grad_x_col, rows, columns);
  kernels::Im2ColPass(pool, g, kDefaultMinWorkPerThread, c.grad_output.data.data(), c.grad_x_col.data());
  Matrix grad_x_mat(channels, columns);
  kernels::ForwardPass<double>(pool, g, channels, kDefaultMinWorkPerThread, nullptr, c.w_row.data(), nullptr,
                               c.grad_x_col.data(), grad_x_mat.data());
  c.grad_input = Tensor4(s.batch, s.channels, s.height, s.width);
  kernels::ReshapePass(pool, g, order, channels, kDefaultMinWorkPerThread, grad_x_mat.data(), /*to_tensor=*/true,
                       c.grad_input.data.data());
  c.grad_w_row.resize(channels, rows);
  kernels::BackwardProducts<double>(pool, g, channels, kDefaultMinWorkPerThread, c.grad_x_col.data(), nullptr,
                                    c.x_mat.data(), c.grad_w_row.data(), nullptr, nullptr);
  c.grad_weights = UnflattenFilters(c.grad_w_row, s, order);
  c.grad_bias.assign(static_cast<size_t>(s.filters), 0.0);
  const Index plane = Index{s.OutHeight()} * s.OutWidth();
  for (Index map = 0; map < Index{s.batch} * s.filters; ++map)
    for (Index i = 0; i < plane; ++i)
      c.grad_bias[static_cast<size_t>(map % s.filters)] += c.grad_output.data[static_cast<size_t>(map * plane + i)];
  // The forward's col2im, had it overwritten instead of summing.
  c.grad_input_overwrite = Tensor4(s.batch, s.filters, s.OutHeight(), s.OutWidth());
  Col2ImOverwrite(c.x_col, s, order, c.grad_input_overwrite.data.data());
  c.overlap = OverlapCounts(s);
}

}  // namespace

bool Computation::PatchesOverlap() const { return overlap.size() > 0 && overlap.maxCoeff() > 1; }

Computation ComputeForward(const Scenario& scenario, int threads) {
  ThrowIfInvalid(scenario);
  Computation c;
  c.scenario = scenario;
  c.shape = scenario.shape;
  const Shape& s = c.shape;
  const Order order = scenario.order;
  const Index rows = s.PatchSize(), columns = s.ColumnCount(), filters = s.filters;

  c.input = MakeTensor(scenario, TensorRole::Input);
  c.weights = MakeTensor(scenario, TensorRole::Weights);
  c.bias = GenerateValues(scenario, TensorRole::Bias);
  c.grad_output = MakeTensor(scenario, TensorRole::GradOutput);
  if (s.op == Op::Transposed) {
    c.w_row = FlattenFilters(c.weights, s, order);
    ForwardTransposed(c, threads);
    return c;
  }

  // im2col and one GEMM starting from the bias per row, then reshape.
  WorkerPool pool(PoolThreads(threads));
  const kernels::Geometry g(s, order);
  c.w_row = FlattenFilters(c.weights, s, order);
  ResizeFresh(c.x_col, rows, columns);
  ResizeFresh(c.y_mat, filters, columns);
  kernels::ForwardPass(pool, g, filters, kDefaultMinWorkPerThread, c.input.data.data(), c.w_row.data(), c.bias.data(),
                       c.x_col.data(), c.y_mat.data());
  c.output = Tensor4(s.batch, s.filters, s.OutHeight(), s.OutWidth());
  kernels::ReshapePass(pool, g, order, filters, kDefaultMinWorkPerThread, c.y_mat.data(), /*to_tensor=*/true,
                       c.output.data.data());
  return c;
}

namespace {

// ComputeForward's fields the backward halves read; throws for a computation it did not make.
void CheckForwardOfItsShape(const Computation& c, const char* who) {
  const Shape& s = c.shape;
  const Index rows = s.PatchSize(), columns = s.ColumnCount(), filters = s.filters;
  if (c.x_col.rows() != rows || c.x_col.cols() != columns || c.w_row.rows() != filters || c.w_row.cols() != rows ||
      c.grad_output.Size() != Index{s.batch} * filters * s.OutHeight() * s.OutWidth()) {
    throw std::invalid_argument(std::string(who) + ": the computation does not come from ComputeForward of its shape");
  }
}

}  // namespace

void ComputeWeightGradients(Computation& c, int threads) {
  if (c.shape.op == Op::Transposed) return BackwardTransposed(c, threads);
  CheckForwardOfItsShape(c, "ComputeWeightGradients");
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Index rows = s.PatchSize(), columns = s.ColumnCount(), filters = s.filters;
  // The FC-layer gradients on the matrices: dW_row = dY * X_col^T, db = row sums of dY.
  WorkerPool pool(PoolThreads(threads));
  const kernels::Geometry g(s, order);
  ResizeFresh(c.dy_mat, filters, columns);
  kernels::ReshapePass(pool, g, order, filters, kDefaultMinWorkPerThread, c.grad_output.data.data(),
                       /*to_tensor=*/false, c.dy_mat.data());
  c.grad_w_row.resize(filters, rows);
  c.grad_bias.assign(static_cast<size_t>(filters), 0.0);
  kernels::BackwardProducts<double>(pool, g, filters, kDefaultMinWorkPerThread, c.x_col.data(), nullptr,
                                    c.dy_mat.data(), c.grad_w_row.data(), c.grad_bias.data(), nullptr);
  c.grad_weights = UnflattenFilters(c.grad_w_row, s, order);
}

void ComputeInputGradients(Computation& c, int threads) {
  if (c.shape.op == Op::Transposed) return;  // ComputeWeightGradients did all of it
  CheckForwardOfItsShape(c, "ComputeInputGradients");
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Index rows = s.PatchSize(), columns = s.ColumnCount(), filters = s.filters;
  if (c.dy_mat.rows() != filters || c.dy_mat.cols() != columns) {
    throw std::invalid_argument("ComputeInputGradients: ComputeWeightGradients comes first (it makes dY_mat)");
  }
  // dX_col = W_row^T * dY, then col2im sums overlapping patches.
  WorkerPool pool(PoolThreads(threads));
  const kernels::Geometry g(s, order);
  ResizeFresh(c.grad_x_col, rows, columns);
  kernels::BackwardProducts<double>(pool, g, filters, kDefaultMinWorkPerThread, nullptr, c.w_row.data(),
                                    c.dy_mat.data(), nullptr, nullptr, c.grad_x_col.data());
  c.grad_input = Tensor4(s.batch, s.channels, s.height, s.width);
  kernels::Col2ImPass(pool, g, kDefaultMinWorkPerThread, c.grad_x_col.data(), c.grad_input.data.data());
  c.grad_input_overwrite = Tensor4(s.batch, s.channels, s.height, s.width);
  Col2ImOverwrite(c.grad_x_col, s, order, c.grad_input_overwrite.data.data());
  c.overlap = OverlapCounts(s);
}

void ComputeBackward(Computation& c, int threads) {
  ComputeWeightGradients(c, threads);
  ComputeInputGradients(c, threads);
}

Computation Compute(const Scenario& scenario, int threads) {
  Computation c = ComputeForward(scenario, threads);
  ComputeBackward(c, threads);
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
    case MatrixId::XMat: return "x_mat";
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
    case MatrixId::XMat: return c.x_mat;
  }
  return c.x_col;
}

bool IsTransposedInLayout(MatrixId id, Layout layout) {
  if (layout == Layout::Columns) return false;
  return id == MatrixId::XCol || id == MatrixId::YMat || id == MatrixId::GradXCol || id == MatrixId::DyMat ||
         id == MatrixId::XMat;
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
Index ForwardMacs(const Shape& s) { return s.WeightRows() * s.PatchSize() / s.groups * s.ColumnCount(); }

}  // namespace im2col
