// Matrices made ready for a GPU texture, on the CPU: the texels (value as float, padding
// flag) and what an upload needs. No GL here, so the worker thread that computes a
// scenario packs its matrices too, and the frame that shows it only hands texels to GL
// (gpu/matrix_texture.h). Indices are CANONICAL (core's "columns" layout).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "im2col/convolution.h"

namespace im2col::gui {

// log2 of the cells per texel row for `cells` cells on a GPU whose textures are at most
// `max_size` texels wide: one short row for small matrices.
int PackedTextureShift(Index cells, Index max_size);

// The texels of a matrix as the texture holds them: one float per cell (R32F), its value,
// or a NaN for a padding zero (no cell value is NaN: core refuses non-finite values), so
// a texture costs 4 bytes a cell, as Shape::MemoryBytes counts it; cells packed
// row-major 2^shift to a texel row; and the colour scale's extremes.
// PackCells needs no GL, so a worker thread can do it and the frame that shows a new
// computation only hands the texels to GL.
struct PackedCells {
  Index rows = 0, cols = 0;
  int shift = 0;                  // cells per texel row: 2^shift
  Index width = 0, height = 0;    // texels
  std::vector<float> texels;      // width * height floats
  double max_abs = 1.0;           // over non-padding cells (1 when all are 0)
  double max_value = 1.0;         // (1 when none is positive)
};
float PaddingTexel();
bool IsPaddingTexel(float texel);

// The extremes of the non-padding values packed so far (the colour scale's ends).
struct CellExtremes {
  double high = std::numeric_limits<double>::lowest(), low = std::numeric_limits<double>::max();
  bool any_value = false;
  void Merge(const CellExtremes& other);
  double MaxAbs() const;    // 1 when every value is 0 or there is none
  double MaxValue() const;  // 1 when none is positive
};
// Texels of cells [begin, end) (row-major over the whole matrix) into out[0 .. end-begin),
// their extremes merged into *extremes: a texture can be filled a band at a time.
void PackCellRange(const double* values, const std::uint8_t* padding, Index begin, Index end, float* out,
                   CellExtremes* extremes);
// `padding` may be null (no padding cells). `max_texture_size` (GL_MAX_TEXTURE_SIZE)
// bounds the texel row; the default fits every OpenGL 3.3 renderer we met.
PackedCells PackCells(const double* values, const std::uint8_t* padding, Index rows, Index cols,
                      int max_texture_size = 4096);

// What to upload: a canonical rows x cols matrix, row-major (row r contiguous).
struct MatrixUpload {
  Index rows = 0, cols = 0;
  const double* values = nullptr;          // rows * cols values
  const std::uint8_t* padding = nullptr;   // optional, rows * cols flags: nonzero = padding zero
  bool transposed = false;                 // displayed transposed (the "rows" layout)
  std::uint64_t key = 1;                   // identifies the content; NeedsUpload compares it
  // Optional: the same cells already packed (off the UI thread), so Upload does not
  // convert them again. Must describe `values` and `padding`.
  const PackedCells* packed = nullptr;
  // Optional: keeps `values` and `padding` alive; the texture then refers to them for
  // numbers and hover instead of keeping a copy (an AlexNet X_col is 8.8 MB).
  std::shared_ptr<const void> owner;
  // Optional: called once the texture holds these cells (uploaded, or kept as they were):
  // `packed`'s texels are not needed after that.
  std::function<void()> in_texture;

  static MatrixUpload FromMatrix(const Matrix& m, bool transposed, std::uint64_t key,
                                 const std::vector<std::uint8_t>* padding = nullptr);
};

// Padding flags of X_col (and dX_col: same cells), canonical R x N*L, from core's
// PaddingCells; empty when the shape has no padding (no cell is a padding zero).
std::vector<std::uint8_t> XColPaddingMask(const Computation& c);
std::vector<std::uint8_t> XColPaddingMask(const Shape& s, Order order);

// One computation's matrices made ready for the stage's textures on the worker that
// computed it: the frame that adopts the computation then only hands texels to GL.
// Matrices not packed here are converted on the UI thread when first shown.
struct PackedMatrices {
  std::shared_ptr<const Computation> computation;  // the values the textures refer to
  std::vector<std::uint8_t> x_col_padding;         // XColPaddingMask: X_col's and dX_col's
  // By MatrixId (as int); empty: not packed. Mutable: the UI thread drops a matrix's
  // texels once its texture holds them (DropTexels); the worker is done with them then.
  mutable std::vector<std::optional<PackedCells>> packed;

  const PackedCells* Find(MatrixId id) const;
  void DropTexels(MatrixId id) const;
  // X_col's padding flags for X_col and dX_col (when the shape has padding), else null.
  const std::vector<std::uint8_t>* PaddingOf(MatrixId id) const;
  // What MatrixTexture::Upload needs for matrix `id`: values, padding, packed texels
  // (when packed here) and this object as their owner.
  static MatrixUpload UploadFor(const std::shared_ptr<const PackedMatrices>& self, MatrixId id, bool transposed,
                                std::uint64_t key);
};
// Packs matrix `id` of `c` into out.packed (out.x_col_padding must be set already).
void PackMatrix(PackedMatrices& out, const Computation& c, MatrixId id);
// Packs `which` of `computation`'s matrices (PackCells) and X_col's padding flags.
std::shared_ptr<const PackedMatrices> PackMatrices(std::shared_ptr<const Computation> computation,
                                                   const std::vector<MatrixId>& which);

// Grids that are not core matrices, copied into buffers the caller keeps until Upload:
struct PlaneBuffers {
  std::vector<double> values;
  std::vector<std::uint8_t> padding;
};
// Image plane (n, c) of `tensor` (input, dX, ...) inside its padding ring: (H + 2*PH) x
// (W + 2*PW) cells, the ring flagged as padding zeros (hatched). Without a ring, and
// given what keeps `tensor` alive (`tensor_owner`: the computation), the upload refers to
// the tensor's own cells, no copy; otherwise the cells are copied into *buffers.
MatrixUpload PaddedPlaneUpload(const Tensor4& tensor, int n, int c, Pair padding, std::uint64_t key,
                               PlaneBuffers* buffers, std::shared_ptr<const void> tensor_owner = nullptr);
// Overlap counts (H x W), for ColourMode::Heat.
MatrixUpload CountsUpload(const Eigen::MatrixXi& counts, std::uint64_t key, PlaneBuffers* buffers);

}  // namespace im2col::gui
