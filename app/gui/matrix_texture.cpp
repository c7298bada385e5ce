// Large matrices on the GPU, the data side: texture upload, the timeline's masks, the
// styles and the CPU twin of the shader's colours. Drawing is in matrix_draw.cpp.
// See matrix_texture.h.
#include "gui/matrix_texture.h"

#include <glad/gl.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <utility>

#include "gui/gl_shader.h"
#include "gui/hover.h"
#include "gui/theme.h"
#include "im2col/im2col.h"
#include "im2col/memory.h"

namespace im2col::gui {
namespace {

// Cells per texel row when packing (a power of two: the shader splits a cell's linear
// index with a shift and a mask). 32 M cells need 8192 rows.
constexpr int kPackedTextureShift = 12;

constexpr int kMatrixIdCount = static_cast<int>(MatrixId::DyMat) + 1;

// log2 of the cells per texel row for `cells` cells on a GPU whose textures are at most
// max_size texels wide: one short row for small matrices.
int PackedShift(Index cells, Index max_size) {
  int shift = kPackedTextureShift;
  while (shift > 0 && (Index{1} << shift) > max_size) --shift;
  while ((Index{1} << shift) > cells && shift > 0) --shift;
  return shift;
}

ImU32 MixColour(ImU32 a, ImU32 b, float t) {
  const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a), y = ImGui::ColorConvertU32ToFloat4(b);
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t, x.z + (y.z - x.z) * t, x.w + (y.w - x.w) * t));
}

}  // namespace

// ---------------------------------------------------------------------------------
// [SECTION] MatrixTexture
// ---------------------------------------------------------------------------------

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

PackedCells PackCells(const double* values, const std::uint8_t* padding, Index rows, Index cols,
                      int max_texture_size) {
  PackedCells p;
  p.rows = rows;
  p.cols = cols;
  const Index cells = rows * cols;
  if (rows <= 0 || cols <= 0 || values == nullptr) return p;
  p.shift = PackedShift(cells, max_texture_size);
  p.width = Index{1} << p.shift;
  p.height = (cells + p.width - 1) / p.width;
  const size_t floats = static_cast<size_t>(p.width * p.height * 2);
  p.texels.reserve(floats);
  AdviseHugePages(p.texels.data(), floats * sizeof(float));  // before the first write
  p.texels.assign(floats, 0.0f);  // the last row's tail stays 0
  float* out = p.texels.data();
  // Largest and smallest non-padding value, kept in four running pairs so that the
  // comparisons of neighbouring cells do not wait for each other.
  constexpr int kLanes = 4;
  double high[kLanes], low[kLanes];
  std::fill(high, high + kLanes, -DBL_MAX);
  std::fill(low, low + kLanes, DBL_MAX);
  bool any_value = false;
  if (padding == nullptr) {  // the common case: a loop without the flag test
    any_value = true;
    Index i = 0;
    for (; i + kLanes <= cells; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) {
        const double v = values[i + k];
        out[2 * (i + k)] = static_cast<float>(v);
        high[k] = v > high[k] ? v : high[k];
        low[k] = v < low[k] ? v : low[k];
      }
    }
    for (; i < cells; ++i) {
      const double v = values[i];
      out[2 * i] = static_cast<float>(v);
      high[0] = std::max(high[0], v);
      low[0] = std::min(low[0], v);
    }
  } else {
    for (Index i = 0; i < cells; ++i) {
      const double v = values[i];
      out[2 * i] = static_cast<float>(v);
      if (padding[i] != 0) {
        out[2 * i + 1] = 1.0f;
      } else {
        any_value = true;
        high[i % kLanes] = std::max(high[i % kLanes], v);
        low[i % kLanes] = std::min(low[i % kLanes], v);
      }
    }
  }
  const double max_value = *std::max_element(high, high + kLanes);
  const double min_value = *std::min_element(low, low + kLanes);
  const double max_abs = any_value ? std::max(std::abs(max_value), std::abs(min_value)) : 0.0;
  p.max_abs = max_abs > 0.0 ? max_abs : 1.0;
  p.max_value = any_value && max_value > 0.0 ? max_value : 1.0;
  return p;
}

MatrixTexture::~MatrixTexture() { Release(); }

MatrixTexture::MatrixTexture(MatrixTexture&& o) noexcept { *this = std::move(o); }

MatrixTexture& MatrixTexture::operator=(MatrixTexture&& o) noexcept {
  if (this != &o) {
    Release();
    texture_ = std::exchange(o.texture_, 0u);
    texture_shift_ = o.texture_shift_;
    texture_width_ = o.texture_width_;
    texture_height_ = o.texture_height_;
    rows_ = o.rows_;
    cols_ = o.cols_;
    transposed_ = o.transposed_;
    uploaded_ = std::exchange(o.uploaded_, false);
    key_ = o.key_;
    serial_ = o.serial_;
    max_abs_ = o.max_abs_;
    max_value_ = o.max_value_;
    // Moving a vector keeps its buffer, so the pointers stay valid.
    values_ = std::exchange(o.values_, nullptr);
    padding_ = std::exchange(o.padding_, nullptr);
    owner_ = std::move(o.owner_);
    values_copy_ = std::move(o.values_copy_);
    padding_copy_ = std::move(o.padding_copy_);
  }
  return *this;
}

void MatrixTexture::ForgetValues() {
  uploaded_ = false;
  values_ = nullptr;
  padding_ = nullptr;
  owner_.reset();
  std::vector<double>().swap(values_copy_);
  std::vector<std::uint8_t>().swap(padding_copy_);
}

void MatrixTexture::Release() {
  if (texture_ != 0) glDeleteTextures(1, &texture_);
  texture_ = 0;
  texture_width_ = texture_height_ = 0;
  ForgetValues();
}

bool MatrixTexture::IsPadding(Index r, Index j) const {
  return padding_ != nullptr && padding_[r * cols_ + j] != 0;
}

Cell MatrixTexture::Canonical(const CellRef& d) const { return transposed_ ? Cell{d.col, d.row} : Cell{d.row, d.col}; }
CellRef MatrixTexture::Displayed(const Cell& c) const { return transposed_ ? CellRef{c.j, c.r} : CellRef{c.r, c.j}; }

bool MatrixTexture::Upload(const MatrixUpload& d, std::string* error) {
  const Index cells = d.rows * d.cols;
  if (d.rows <= 0 || d.cols <= 0 || d.values == nullptr) {
    if (error) *error = "matrix texture: nothing to upload (rows, cols must be >= 1 and values given)";
    return false;
  }
  if (!GpuMatrixDrawingAvailable()) {
    if (error) *error = "matrix texture: no OpenGL context (headless run): draw with ImGui shapes instead";
    return false;
  }
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  // Cells packed row-major into rows of 2^shift texels (one texture whatever the shape;
  // the shader needs only a shift and a mask to find a cell).
  const int shift = PackedShift(cells, max_size);
  const Index width = Index{1} << shift;
  const Index height = (cells + width - 1) / width;
  if (cells > INT32_MAX || height > max_size) {
    if (error) {
      *error = "matrix texture: " + std::to_string(d.rows) + " x " + std::to_string(d.cols) +
               " cells do not fit one GPU texture (at most " + std::to_string(width) + " x " +
               std::to_string(max_size) + " cells)";
    }
    return false;
  }
  // (value, padding flag) per cell: packed off the UI thread already, or now.
  PackedCells packed_here;
  const PackedCells* packed = d.packed;
  if (packed == nullptr || packed->rows != d.rows || packed->cols != d.cols || packed->shift != shift) {
    packed_here = PackCells(d.values, d.padding, d.rows, d.cols, max_size);
    packed = &packed_here;
  }

  GLint last_texture = 0, last_alignment = 4, last_row_length = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_UNPACK_ALIGNMENT, &last_alignment);
  glGetIntegerv(GL_UNPACK_ROW_LENGTH, &last_row_length);
  GlErrors("before uploading a matrix texture");  // start clean: report only our errors
  const bool same_size = texture_ != 0 && texture_width_ == width && texture_height_ == height;
  if (texture_ == 0) glGenTextures(1, &texture_);
  glBindTexture(GL_TEXTURE_2D, texture_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  if (same_size) {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, static_cast<GLsizei>(width), static_cast<GLsizei>(height), GL_RG, GL_FLOAT,
                    packed->texels.data());
  } else {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RG32F, static_cast<GLsizei>(width), static_cast<GLsizei>(height), 0, GL_RG,
                 GL_FLOAT, packed->texels.data());
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, last_alignment);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, last_row_length);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  const std::string gl_error = GlErrors("uploading a matrix texture");
  if (!gl_error.empty()) {
    if (error) *error = "matrix texture: " + gl_error;
    Release();
    return false;
  }
  texture_shift_ = shift;
  texture_width_ = static_cast<int>(width);
  texture_height_ = static_cast<int>(height);
  rows_ = d.rows;
  cols_ = d.cols;
  transposed_ = d.transposed;
  key_ = d.key;
  static std::uint64_t next_serial = 0;  // GL context thread only
  serial_ = ++next_serial;
  max_abs_ = packed->max_abs;
  max_value_ = packed->max_value;
  if (d.owner) {  // the owner keeps them alive: refer to them
    ReferToCells(d);
  } else {
    owner_.reset();
    values_copy_.assign(d.values, d.values + cells);
    values_ = values_copy_.data();
    if (d.padding != nullptr) {
      padding_copy_.assign(d.padding, d.padding + cells);
      padding_ = padding_copy_.data();
    } else {
      padding_copy_.clear();
      padding_ = nullptr;
    }
  }
  uploaded_ = true;
  return true;
}

bool MatrixTexture::HoldsSameCells(const MatrixUpload& d) const {
  if (!uploaded_ || values_ == nullptr || d.values == nullptr || d.rows != rows_ || d.cols != cols_ ||
      d.transposed != transposed_ || (d.padding == nullptr) != (padding_ == nullptr)) {
    return false;
  }
  const size_t cells = static_cast<size_t>(rows_ * cols_);
  // Bitwise, so -0.0 and 0.0 differ like they may on screen; a changed matrix usually
  // differs in its first cache line.
  return (d.values == values_ || std::memcmp(d.values, values_, cells * sizeof(double)) == 0) &&
         (d.padding == padding_ || std::memcmp(d.padding, padding_, cells) == 0);
}

void MatrixTexture::KeepCellsFor(const MatrixUpload& d) {
  key_ = d.key;
  // Refer to the new memory: the old owner (a replaced computation) can go.
  if (d.owner) ReferToCells(d);  // else the copies already hold these values
}

void MatrixTexture::ReferToCells(const MatrixUpload& d) {
  owner_ = d.owner;
  values_ = d.values;
  padding_ = d.padding;
  std::vector<double>().swap(values_copy_);
  std::vector<std::uint8_t>().swap(padding_copy_);
}

std::vector<float> MatrixTexture::ReadTexels() const {
  if (!uploaded_ || texture_ == 0) return {};
  GLint last_texture = 0, last_alignment = 4;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_PACK_ALIGNMENT, &last_alignment);
  std::vector<float> texels(static_cast<size_t>(texture_width_) * static_cast<size_t>(texture_height_) * 2);
  glBindTexture(GL_TEXTURE_2D, texture_);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glGetTexImage(GL_TEXTURE_2D, 0, GL_RG, GL_FLOAT, texels.data());
  glPixelStorei(GL_PACK_ALIGNMENT, last_alignment);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  texels.resize(static_cast<size_t>(2 * rows_ * cols_));  // the last texel row's tail is not a cell
  return texels;
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

MatrixUpload PackedMatrices::UploadFor(const std::shared_ptr<const PackedMatrices>& self, MatrixId id, bool transposed,
                                       std::uint64_t key) {
  // X_col's (and dX_col's) padding zeros are hatched like the input's padding ring.
  MatrixUpload u =
      MatrixUpload::FromMatrix(CanonicalMatrix(*self->computation, id), transposed, key, self->PaddingOf(id));
  u.packed = self->Find(id);
  u.owner = self;
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
                               PlaneBuffers* buffers) {
  const int ph = std::max(padding.h, 0), pw = std::max(padding.w, 0);
  const Index rows = Index{tensor.h} + 2 * ph, cols = Index{tensor.w} + 2 * pw;
  buffers->values.assign(static_cast<size_t>(rows * cols), 0.0);
  buffers->padding.assign(static_cast<size_t>(rows * cols), 1);
  if (n >= 0 && n < tensor.n && c >= 0 && c < tensor.c) {
    for (int y = 0; y < tensor.h; ++y) {
      for (int x = 0; x < tensor.w; ++x) {
        const size_t cell = static_cast<size_t>((y + ph) * cols + (x + pw));
        buffers->values[cell] = tensor(n, c, y, x);
        buffers->padding[cell] = 0;
      }
    }
  }
  MatrixUpload u;
  u.rows = rows;
  u.cols = cols;
  u.values = buffers->values.data();
  u.padding = buffers->padding.data();
  u.key = key;
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

// ---------------------------------------------------------------------------------
// [SECTION] Masks from the timeline
// ---------------------------------------------------------------------------------

MaskState MaskFor(MatrixId id, const FrameState& f, const Shape& shape, float transition) {
  MaskState m;
  m.newest_alpha = transition;
  const Phase phase = f.step.phase;
  const Index R = shape.PatchSize();
  switch (id) {
    case MatrixId::XCol:
      m.fill_order = FillOrder::ColumnMajor;
      m.filled_count = f.x_col_cells;
      if (phase == Phase::Extract) m.focus_cell = f.focus_cell;
      if (phase == Phase::Extract || phase == Phase::Multiply) m.focus_column = f.focus_column;
      if (phase == Phase::GradWeights) m.focus_row = f.focus_patch_row;
      break;
    case MatrixId::WRow:
      m.fill_order = FillOrder::RowMajor;
      m.filled_count = f.w_row_rows * R;
      if (phase == Phase::Flatten || phase == Phase::Multiply) m.focus_row = f.focus_filter;
      break;
    case MatrixId::YMat:
      m.fill_order = FillOrder::RowMajor;
      m.filled_count = f.y_cells;
      if (phase == Phase::Multiply) m.focus_cell = f.focus_cell;
      if (phase == Phase::Reshape) m.focus_row = f.focus_filter;
      break;
    case MatrixId::DyMat:
      m.fill_order = FillOrder::ImageMaps;
      m.fill_block = std::max<Index>(shape.PatchCount(), 1);
      m.filled_count = f.dy_maps;
      if (phase == Phase::GradOutput || phase == Phase::GradWeights) m.focus_row = f.focus_filter;
      if (phase == Phase::GradXCol) m.focus_column = f.focus_column;
      break;
    case MatrixId::GradWRow:
      m.fill_order = FillOrder::RowMajor;
      m.filled_count = f.grad_w_cells;
      if (phase == Phase::GradWeights) m.focus_cell = f.focus_cell;
      break;
    case MatrixId::GradXCol:
      m.fill_order = FillOrder::ColumnMajor;
      m.filled_count = f.grad_x_col_columns * R;
      if (phase == Phase::GradXCol || phase == Phase::Col2im) m.focus_column = f.focus_column;
      break;
    case MatrixId::XMat: break;  // op transposed only, which the window does not draw
  }
  // A whole map or column arrives at once: only single-cell steps fade in.
  if (id == MatrixId::DyMat || id == MatrixId::GradXCol || id == MatrixId::WRow) m.newest_alpha = 1.0f;
  return m;
}

void AddHoverLinks(MaskState& mask, MatrixId id, const HoverLinks& links) {
  switch (id) {
    case MatrixId::XCol:
    case MatrixId::GradXCol:  // dX_col's cells sit where X_col's do
      mask.hover_column = links.column;
      mask.hover_row = links.patch_row;
      mask.linked_cells.insert(mask.linked_cells.end(), links.x_col_cells.begin(), links.x_col_cells.end());
      break;
    case MatrixId::WRow:
    case MatrixId::GradWRow:
      mask.hover_row = links.filter;
      mask.hover_column = links.patch_row;  // row r of X_col is column r of W_row
      if (links.w_row_cell) mask.hover_cell = *links.w_row_cell;
      break;
    case MatrixId::YMat:
    case MatrixId::DyMat:
      mask.hover_row = links.filter;
      mask.hover_column = links.column;
      break;
    case MatrixId::XMat: break;  // op transposed only
  }
}

// ---------------------------------------------------------------------------------
// [SECTION] Styles and the CPU twin of the shader's colours
// ---------------------------------------------------------------------------------

MatrixStyle MatrixStyle::Tinted(ImU32 low, ImU32 high) {
  const Palette& p = ActivePalette();
  MatrixStyle s;
  s.mode = ColourMode::Tint;
  s.tint_low = low;
  s.tint_high = high;
  // Not filled yet: a faint grey, distinct from padding (darker grey + hatching).
  s.empty = MixColour(p.background, p.grid_line, 0.25f);
  s.padding = p.padding;
  s.padding_hatch = p.padding_hatch;
  s.grid_line = p.grid_line;
  s.focus = p.focus;
  s.hover = p.text;
  s.text = p.text;
  s.background = p.background;
  return s;
}

MatrixStyle MatrixStyle::Heat() {
  MatrixStyle s = Tinted(ActivePalette().background, ActivePalette().text);
  s.mode = ColourMode::Heat;
  s.heat_min = 1.0f;
  return s;
}

Index FillOrderIndex(const MaskState& m, Index rows, Index cols, const Cell& c) {
  switch (m.fill_order) {
    case FillOrder::RowMajor: return c.r * cols + c.j;
    case FillOrder::ColumnMajor: return c.j * rows + c.r;
    case FillOrder::ImageMaps: return (c.j / std::max<Index>(m.fill_block, 1)) * rows + c.r;
  }
  return 0;
}

bool IsFilled(const MatrixTexture& t, const MaskState& m, const Cell& c) {
  return FillOrderIndex(m, t.rows(), t.cols(), c) < std::clamp<Index>(m.filled_count, 0, kAllFilled);
}

float ColourScaleMax(const MatrixTexture& t, const MatrixStyle& s) {
  if (s.value_max > 0.0f) return s.value_max;
  return static_cast<float>(s.mode == ColourMode::Heat ? t.max_value() : t.max_abs());
}

ImU32 CellFillColour(const MatrixTexture& t, const MaskState& m, const MatrixStyle& s, const CellRef& displayed) {
  const Cell c = t.Canonical(displayed);
  const Index order = FillOrderIndex(m, t.rows(), t.cols(), c);
  const Index filled = std::clamp<Index>(m.filled_count, 0, kAllFilled);
  if (order >= filled) return s.empty;
  ImU32 colour;
  if (t.IsPadding(c.r, c.j)) {
    colour = s.padding;
  } else {
    const float value = static_cast<float>(t.Value(c.r, c.j));
    const float top = ColourScaleMax(t, s);
    if (s.mode == ColourMode::Heat) {
      if (value < s.heat_min) return s.empty;
      colour = CividisColor((value - s.heat_min) / std::max(top - s.heat_min, 1e-30f));
    } else {
      colour = MixColour(s.tint_low, s.tint_high, std::clamp(std::abs(value) / std::max(top, 1e-30f), 0.0f, 1.0f));
    }
  }
  if (order == filled - 1) colour = MixColour(s.empty, colour, std::clamp(m.newest_alpha, 0.0f, 1.0f));
  return colour;
}

}  // namespace im2col::gui
