// A matrix's values in a GL texture (matrix_texture.h).
#include "gui/gpu/matrix_texture.h"

#include "gui/gpu/gl_api.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "gui/gpu/gl_shader.h"
#include "gui/gpu/gpu_context.h"

namespace im2col::gui {
namespace {

// Texels per band when a texture is filled from the values: 4 MB of floats.
constexpr Index kUploadBandTexels = Index{1} << 20;

}  // namespace

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

bool MatrixTexture::Upload(GpuContext& gpu, const MatrixUpload& d, std::string* error) {
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
  const int shift = PackedTextureShift(cells, max_size);
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
  // Texels packed off the UI thread already, or packed now a band at a time.
  const PackedCells* packed = d.packed;
  const bool prepacked =
      packed != nullptr && packed->rows == d.rows && packed->cols == d.cols && packed->shift == shift;

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
  const auto w = static_cast<GLsizei>(width), h = static_cast<GLsizei>(height);
  CellExtremes extremes;
  if (prepacked && same_size) {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RED, GL_FLOAT, packed->texels.data());
  } else if (prepacked) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, packed->texels.data());
  } else {
    // Band by band: the staging floats stay ~4 MB however large the matrix (a whole
    // 8-million-cell copy would sit beside the texture and the values at the peak).
    if (!same_size) glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, nullptr);
    const Index band_rows = std::max<Index>(1, kUploadBandTexels / width);
    std::vector<float> band(static_cast<size_t>(std::min(height, band_rows) * width));
    for (Index y0 = 0; y0 < height; y0 += band_rows) {
      const Index rows_here = std::min(band_rows, height - y0);
      const Index begin = y0 * width, end = std::min(cells, (y0 + rows_here) * width);
      PackCellRange(d.values, d.padding, begin, end, band.data(), &extremes);
      std::fill(band.begin() + (end - begin), band.begin() + rows_here * width, 0.0f);  // the last row's tail
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, static_cast<GLint>(y0), w, static_cast<GLsizei>(rows_here), GL_RED,
                      GL_FLOAT, band.data());
    }
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
  serial_ = gpu.NextTextureSerial();
  max_abs_ = prepacked ? packed->max_abs : extremes.MaxAbs();
  max_value_ = prepacked ? packed->max_value : extremes.MaxValue();
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
#ifdef IM2COL_LAB_GLES
  return {};  // OpenGL ES / WebGL2 cannot read a texture back (no glGetTexImage); only tests call this
#else
  if (!uploaded_ || texture_ == 0) return {};
  GLint last_texture = 0, last_alignment = 4;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_PACK_ALIGNMENT, &last_alignment);
  std::vector<float> stored(static_cast<size_t>(texture_width_) * static_cast<size_t>(texture_height_));
  glBindTexture(GL_TEXTURE_2D, texture_);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glGetTexImage(GL_TEXTURE_2D, 0, GL_RED, GL_FLOAT, stored.data());
  glPixelStorei(GL_PACK_ALIGNMENT, last_alignment);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  // (value, flag) pairs from the stored floats: a NaN is a padding zero.
  std::vector<float> texels(static_cast<size_t>(2 * rows_ * cols_));  // the last texel row's tail is not a cell
  for (size_t i = 0; i < texels.size() / 2; ++i) {
    const bool padding = IsPaddingTexel(stored[i]);
    texels[2 * i] = padding ? 0.0f : stored[i];
    texels[2 * i + 1] = padding ? 1.0f : 0.0f;
  }
  return texels;
#endif
}

}  // namespace im2col::gui
