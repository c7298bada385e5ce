// Packing matrices for the GPU on the CPU (matrix_packing.h).
#include "gui/state/matrix_packing.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "im2col/im2col.h"
#include "im2col/memory.h"

namespace im2col::gui {
namespace {

// Cells per texel row when packing (a power of two: the shader splits a cell's linear
// index with a shift and a mask). 32 M cells need 8192 rows.
constexpr int kPackedTextureShift = 12;

constexpr int kMatrixIdCount = static_cast<int>(MatrixId::XMat) + 1;

}  // namespace

int PackedTextureShift(Index cells, Index max_size) {
  int shift = kPackedTextureShift;
  while (shift > 0 && (Index{1} << shift) > max_size) --shift;
  while ((Index{1} << shift) > cells && shift > 0) --shift;
  return shift;
}

MatrixUpload MatrixUpload::FromMatrix(const Matrix& m, bool transposed, std::uint64_t key,
                                      const std::vector<std::uint8_t>* padding) {
  MatrixUpload u;
  u.rows = m.rows();
  u.cols = m.cols();
  u.values = m.data();  // row-major storage: row r contiguous
  u.padding = (padding != nullptr && static_cast<Index>(padding->size()) == m.size()) ? padding->data() : nullptr;
  u.transposed = transposed;
  u.key = key;
  return u;
}

float PaddingTexel() { return std::numeric_limits<float>::quiet_NaN(); }

bool IsPaddingTexel(float texel) { return std::isnan(texel); }

void CellExtremes::Merge(const CellExtremes& other) {
  high = std::max(high, other.high);
  low = std::min(low, other.low);
  any_value = any_value || other.any_value;
}

double CellExtremes::MaxAbs() const {
  const double max_abs = any_value ? std::max(std::abs(high), std::abs(low)) : 0.0;
  return max_abs > 0.0 ? max_abs : 1.0;
}

double CellExtremes::MaxValue() const { return any_value && high > 0.0 ? high : 1.0; }

void PackCellRange(const double* values, const std::uint8_t* padding, Index begin, Index end, float* out,
                   CellExtremes* extremes) {
  // Largest and smallest non-padding value, kept in four running pairs so that the
  // comparisons of neighbouring cells do not wait for each other.
  constexpr int kLanes = 4;
  double high[kLanes], low[kLanes];
  std::fill(high, high + kLanes, -DBL_MAX);
  std::fill(low, low + kLanes, DBL_MAX);
  bool any_value = false;
  if (padding == nullptr) {  // the common case: a loop without the flag test
    any_value = begin < end;
    Index i = begin;
    for (; i + kLanes <= end; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) {
        const double v = values[i + k];
        out[i + k - begin] = static_cast<float>(v);
        high[k] = v > high[k] ? v : high[k];
        low[k] = v < low[k] ? v : low[k];
      }
    }
    for (; i < end; ++i) {
      const double v = values[i];
      out[i - begin] = static_cast<float>(v);
      high[0] = std::max(high[0], v);
      low[0] = std::min(low[0], v);
    }
  } else {
    for (Index i = begin; i < end; ++i) {
      const double v = values[i];
      if (padding[i] != 0) {
        out[i - begin] = PaddingTexel();
      } else {
        out[i - begin] = static_cast<float>(v);
        any_value = true;
        high[i % kLanes] = std::max(high[i % kLanes], v);
        low[i % kLanes] = std::min(low[i % kLanes], v);
      }
    }
  }
  CellExtremes range;
  range.high = *std::max_element(high, high + kLanes);
  range.low = *std::min_element(low, low + kLanes);
  range.any_value = any_value;
  extremes->Merge(range);
}

PackedCells PackCells(const double* values, const std::uint8_t* padding, Index rows, Index cols,
                      int max_texture_size) {
  PackedCells p;
  p.rows = rows;
  p.cols = cols;
  const Index cells = rows * cols;
  if (rows <= 0 || cols <= 0 || values == nullptr) return p;
  p.shift = PackedTextureShift(cells, max_texture_size);
  p.width = Index{1} << p.shift;
  p.height = (cells + p.width - 1) / p.width;
  const size_t texels = static_cast<size_t>(p.width * p.height);
  p.texels.reserve(texels);
  AdviseHugePages(p.texels.data(), texels * sizeof(float));  // before the first write
  p.texels.assign(texels, 0.0f);  // the last row's tail stays 0
  CellExtremes extremes;
  PackCellRange(values, padding, 0, cells, p.texels.data(), &extremes);
  p.max_abs = extremes.MaxAbs();
  p.max_value = extremes.MaxValue();
  return p;
}

std::vector<std::uint8_t> XColPaddingMask(const Shape& s, Order order) {
  if (s.padding.h == 0 && s.padding.w == 0) return {};  // no padding ring: no padding cells
  return PaddingCells(s, order);
}

std::vector<std::uint8_t> XColPaddingMask(const Computation& c) { return XColPaddingMask(c.shape, c.scenario.order); }

const std::vector<std::uint8_t>* PackedMatrices::PaddingOf(MatrixId id) const {
  return HasPatchRows(id) && !x_col_padding.empty() ? &x_col_padding : nullptr;
}

const PackedCells* PackedMatrices::Find(MatrixId id) const {
  const size_t index = static_cast<size_t>(id);
  return index < packed.size() && packed[index] ? &*packed[index] : nullptr;
}

void PackedMatrices::DropTexels(MatrixId id) const {
  const size_t index = static_cast<size_t>(id);
  if (index < packed.size()) packed[index].reset();
}

MatrixUpload PackedMatrices::UploadFor(const std::shared_ptr<const PackedMatrices>& self, MatrixId id, bool transposed,
                                       std::uint64_t key) {
  // X_col's (and dX_col's) padding zeros are hatched like the input's padding ring.
  MatrixUpload u =
      MatrixUpload::FromMatrix(CanonicalMatrix(*self->computation, id), transposed, key, self->PaddingOf(id));
  u.packed = self->Find(id);
  u.owner = self;
  if (u.packed != nullptr) u.in_texture = [self, id] { self->DropTexels(id); };  // 4 bytes a cell kept no longer
  return u;
}

void PackMatrix(PackedMatrices& out, const Computation& c, MatrixId id) {
  if (out.packed.size() < static_cast<size_t>(kMatrixIdCount)) out.packed.resize(static_cast<size_t>(kMatrixIdCount));
  const Matrix& m = CanonicalMatrix(c, id);
  const std::vector<std::uint8_t>* padding = out.PaddingOf(id);
  out.packed[static_cast<size_t>(id)] = PackCells(m.data(), padding ? padding->data() : nullptr, m.rows(), m.cols());
}

std::shared_ptr<const PackedMatrices> PackMatrices(std::shared_ptr<const Computation> computation,
                                                   const std::vector<MatrixId>& which) {
  auto out = std::make_shared<PackedMatrices>();
  out->computation = std::move(computation);
  out->x_col_padding = XColPaddingMask(*out->computation);
  out->packed.resize(static_cast<size_t>(kMatrixIdCount));
  for (const MatrixId id : which) PackMatrix(*out, *out->computation, id);
  return out;
}

MatrixUpload PaddedPlaneUpload(const Tensor4& tensor, int n, int c, Pair padding, std::uint64_t key,
                               PlaneBuffers* buffers, std::shared_ptr<const void> tensor_owner) {
  const int ph = std::max(padding.h, 0), pw = std::max(padding.w, 0);
  const Index rows = Index{tensor.h} + 2 * ph, cols = Index{tensor.w} + 2 * pw;
  const bool in_tensor = n >= 0 && n < tensor.n && c >= 0 && c < tensor.c;
  MatrixUpload u;
  u.rows = rows;
  u.cols = cols;
  u.key = key;
  if (ph == 0 && pw == 0 && in_tensor && tensor_owner) {
    // The plane is contiguous in the tensor (NCHW): a 2841 x 2841 input is not copied.
    u.values = tensor.data.data() + tensor.Offset(n, c, 0, 0);
    u.owner = std::move(tensor_owner);
    return u;
  }
  buffers->values.assign(static_cast<size_t>(rows * cols), 0.0);
  // Padding flags only where some cell is padding (a ring, or no such plane at all).
  buffers->padding.assign(static_cast<size_t>(ph == 0 && pw == 0 && in_tensor ? 0 : rows * cols), 1);
  if (in_tensor) {
    for (int y = 0; y < tensor.h; ++y) {
      for (int x = 0; x < tensor.w; ++x) {
        const size_t cell = static_cast<size_t>((y + ph) * cols + (x + pw));
        buffers->values[cell] = tensor(n, c, y, x);
        if (!buffers->padding.empty()) buffers->padding[cell] = 0;
      }
    }
  }
  u.values = buffers->values.data();
  u.padding = buffers->padding.empty() ? nullptr : buffers->padding.data();
  return u;
}

MatrixUpload CountsUpload(const Eigen::MatrixXi& counts, std::uint64_t key, PlaneBuffers* buffers) {
  buffers->values.resize(static_cast<size_t>(counts.size()));
  buffers->padding.clear();
  for (Index y = 0; y < counts.rows(); ++y) {  // Eigen's default storage is column-major: copy by index
    for (Index x = 0; x < counts.cols(); ++x) buffers->values[static_cast<size_t>(y * counts.cols() + x)] = counts(y, x);
  }
  MatrixUpload u;
  u.rows = counts.rows();
  u.cols = counts.cols();
  u.values = buffers->values.data();
  u.key = key;
  return u;
}

}  // namespace im2col::gui
