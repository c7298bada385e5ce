// A matrix's values in a GL texture (R32F: the value, NaN for a padding zero; 4 bytes a
// cell), uploaded once per computation, never per frame, from texels packed on the CPU
// (state/matrix_packing.h), either off the UI thread or here a band at a time.
// The shader (shaders/matrix.frag, matrix_picture.h) colours its cells; the texture also
// keeps (or refers to) the values for numbers and hover.
//
// Indices: the texture holds CANONICAL cells (core's "columns" layout: X_col is R x N*L);
// CellRef and ZoomView are AS DISPLAYED (transposed in the "rows" layout):
// Canonical / Displayed convert.
//
// GL: needs the GL context current. Textures belong to that context (GpuContext owns the
// stage's); release them before the context goes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gui/state/matrix_packing.h"
#include "gui/state/zoom_state.h"
#include "im2col/convolution.h"

namespace im2col::gui {

class GpuContext;

class MatrixTexture {
 public:
  MatrixTexture() = default;
  ~MatrixTexture();
  MatrixTexture(const MatrixTexture&) = delete;
  MatrixTexture& operator=(const MatrixTexture&) = delete;
  MatrixTexture(MatrixTexture&& other) noexcept;
  MatrixTexture& operator=(MatrixTexture&& other) noexcept;

  // True when `key` differs from the uploaded content's key (or nothing is uploaded).
  bool NeedsUpload(std::uint64_t key) const { return !uploaded_ || key != key_; }
  // Copies the values (as float, NaN for padding) into an R32F texture and
  // keeps a CPU copy for numbers and hover (or, with data.owner, a reference). A texture
  // of the same texel size is refilled in place. False with *error when the matrix is
  // empty or larger than the GPU's texture limit; the previous content is kept then.
  bool Upload(GpuContext& gpu, const MatrixUpload& data, std::string* error);
  // (value, padding flag) of every canonical cell, row-major, decoded from what the GPU holds: read
  // back from the texture (slow; for tests). Empty when nothing is uploaded.
  std::vector<float> ReadTexels() const;
  // True when `data` describes exactly the cells uploaded (size, display, values and
  // padding flags, bit for bit): a new computation whose matrix did not change.
  bool HoldsSameCells(const MatrixUpload& data) const;
  // Takes `data` (HoldsSameCells) as the content without touching the GPU: the key
  // becomes data.key, the serial stays (cached pictures stay valid), and the values are
  // read from data's memory from now on.
  void KeepCellsFor(const MatrixUpload& data);
  // Forgets the values (uploaded() turns false) but keeps the GL texture, so the next
  // Upload of the same texel size only refills it.
  void ForgetValues();
  void Release();

  bool uploaded() const { return uploaded_; }
  std::uint64_t key() const { return key_; }
  Index rows() const { return rows_; }      // canonical
  Index cols() const { return cols_; }
  bool transposed() const { return transposed_; }
  Index display_rows() const { return transposed_ ? cols_ : rows_; }
  Index display_cols() const { return transposed_ ? rows_ : cols_; }
  double max_abs() const { return max_abs_; }   // over non-padding cells (1 when all are 0)
  double max_value() const { return max_value_; }
  double Value(Index r, Index j) const { return values_[r * cols_ + j]; }  // canonical
  bool IsPadding(Index r, Index j) const;                                                        // canonical
  Cell Canonical(const CellRef& displayed) const;
  CellRef Displayed(const Cell& canonical) const;
  unsigned int gl_texture() const { return texture_; }
  // Unique per successful upload in `gpu` (never reused, unlike GL names):
  // cached pictures of a view are keyed on it.
  std::uint64_t serial() const { return serial_; }
  // Cells are packed row-major, 2^texture_shift() per texel row.
  int texture_shift() const { return texture_shift_; }
  int texture_width() const { return texture_width_; }

 private:
  // Values and padding flags from now on in `d.owner`'s memory (no copy of them kept).
  void ReferToCells(const MatrixUpload& d);

  unsigned int texture_ = 0;
  int texture_shift_ = 0;
  int texture_width_ = 0, texture_height_ = 0;
  Index rows_ = 0, cols_ = 0;
  bool transposed_ = false;
  bool uploaded_ = false;
  std::uint64_t key_ = 0;
  std::uint64_t serial_ = 0;
  double max_abs_ = 1.0, max_value_ = 1.0;
  // The values and padding flags: into the copies below, or into memory `owner_` keeps.
  const double* values_ = nullptr;
  const std::uint8_t* padding_ = nullptr;
  std::shared_ptr<const void> owner_;
  std::vector<double> values_copy_;
  std::vector<std::uint8_t> padding_copy_;
};

}  // namespace im2col::gui
