// Large matrices drawn on the GPU: the values live in a texture (uploaded once per
// scenario, never per frame); a fragment shader (shaders/matrix.frag) colours every
// cell, greys the cells the timeline has not filled yet, hatches padding zeros and adds
// grid lines once cells are big enough. It renders into a cached picture of the view
// only when the view, the mask or the values change (after a playback step, only the
// cells the step changed); every frame ImGui draws the picture as an image. Focus
// (orange) and hover (dashed) outlines are ImGui rectangles over it, grown to stay
// visible when a cell is below a pixel; numbers are ImGui text over the visible cells
// once a cell is >= 28 px on screen. AlexNet's X_col (363 x 3025 = 1.1 M cells) costs
// one image. Files: matrix_texture.cpp (upload, masks, colours), matrix_picture.cpp
// (GL: program, cached pictures), matrix_draw.cpp (ImGui overlays, the calls below).
//
// How the stage (grid_view / stage code) uses it for one matrix; the stage keeps one
// MatrixTexture and one ZoomView per large matrix it shows:
//
//   // once per scenario: the upload is skipped while the key stays the same
//   const bool transposed = IsTransposedInLayout(MatrixId::XCol, c.scenario.layout);
//   if (x_col_texture.NeedsUpload(state.scenario_generation)) {
//     const std::vector<std::uint8_t> padding = XColPaddingMask(c);
//     x_col_texture.Upload(MatrixUpload::FromMatrix(c.x_col, transposed, state.scenario_generation, &padding),
//                          &error);  // false: draw the ImGui summary instead (error says why)
//   }
//   // every frame, inside the stage window
//   MaskState mask = MaskFor(MatrixId::XCol, state.frame, c.shape, state.playback.transition);
//   AddHoverLinks(mask, MatrixId::XCol, LinksOf(c, state.hover));
//   MatrixViewResult r = DrawZoomableMatrix("##x_col", x_col_texture, x_col_view, area, mask,
//                                           MatrixStyle::Tinted(p.input_tint, p.input), "x_col");
//   if (r.hovered) {
//     const Cell cell = x_col_texture.Canonical(*r.hovered);
//     PushIntent(state, intent::SetHover{HoverTarget::Matrix(HoverTarget::Kind::XColCell, cell.r, cell.j)});
//   }
//
// Input / dX planes: PaddedPlaneUpload(c.input, n, ch, c.shape.padding, key, &buffers);
// overlap heat: CountsUpload(c.overlap, key, &buffers) with MatrixStyle::Heat().
// Without a GL renderer (a headless smoke test) Upload fails and GpuMatrixDrawingAvailable()
// is false: keep the ImGui path for that case.
//
// Indices: MaskState (fill order, focus, hover, links) is in CANONICAL indices (core's
// "columns" layout: X_col is R x N*L), like FrameState and HoverTarget. ZoomView,
// CellRef and layout ids are AS DISPLAYED (transposed in the "rows" layout);
// MatrixTexture::Canonical / Displayed convert.
//
// GL: needs the GL context current (inside an ImGui frame); textures and the shared
// program belong to that context. Destroy MatrixTextures and call
// ShutdownMatrixRenderer() before the context goes away.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gui/zoom_view.h"
#include "im2col/convolution.h"
#include "im2col/timeline.h"

namespace im2col::gui {

// ---------------------------------------------------------------------------------
// [SECTION] Values on the GPU
// ---------------------------------------------------------------------------------

// The texels of a matrix as the texture holds them: (value as float, padding flag) per
// cell, cells packed row-major 2^shift to a texel row; and the colour scale's extremes.
// PackCells needs no GL, so a worker thread can do it and the frame that shows a new
// computation only hands the texels to GL.
struct PackedCells {
  Index rows = 0, cols = 0;
  int shift = 0;                  // cells per texel row: 2^shift
  Index width = 0, height = 0;    // texels
  std::vector<float> texels;      // width * height * 2 floats
  double max_abs = 1.0;           // over non-padding cells (1 when all are 0)
  double max_value = 1.0;         // (1 when none is positive)
};
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

  static MatrixUpload FromMatrix(const Matrix& m, bool transposed, std::uint64_t key,
                                 const std::vector<std::uint8_t>* padding = nullptr);
};

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
  // Copies the values (as float, plus the padding flags) into an RG32F texture and
  // keeps a CPU copy for numbers and hover (or, with data.owner, a reference). A texture
  // of the same texel size is refilled in place. False with *error when the matrix is
  // empty or larger than the GPU's texture limit; the previous content is kept then.
  bool Upload(const MatrixUpload& data, std::string* error);
  // (value, padding flag) of every canonical cell, row-major, as the GPU holds them: read
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
  // Unique per successful upload in this process (never reused, unlike GL names):
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
  std::vector<std::optional<PackedCells>> packed;  // by MatrixId (as int); empty: not packed

  const PackedCells* Find(MatrixId id) const;
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
// (W + 2*PW) cells, the ring flagged as padding zeros (hatched).
MatrixUpload PaddedPlaneUpload(const Tensor4& tensor, int n, int c, Pair padding, std::uint64_t key,
                               PlaneBuffers* buffers);
// Overlap counts (H x W), for ColourMode::Heat.
MatrixUpload CountsUpload(const Eigen::MatrixXi& counts, std::uint64_t key, PlaneBuffers* buffers);

// ---------------------------------------------------------------------------------
// [SECTION] What the timeline says about the cells
// ---------------------------------------------------------------------------------

// Order in which the timeline fills a matrix (canonical r, j; R rows, C columns):
enum class FillOrder {
  RowMajor,     // index r*C + j   (Y in multiply, dW_row, W_row by rows)
  ColumnMajor,  // index j*R + r   (X_col in extract, dX_col by columns)
  ImageMaps,    // index (j / block)*R + r: dY_mat, map (n, f) = row f, columns of image n
};

inline constexpr Index kAllFilled = INT32_MAX;

// Canonical cells [first.r, last.r] x [first.j, last.j], inclusive.
struct CellBlock {
  Cell first, last;
};

struct MaskState {
  // Cells whose index in `fill_order` is < filled_count are filled; the rest are grey.
  Index filled_count = kAllFilled;
  FillOrder fill_order = FillOrder::RowMajor;
  Index fill_block = 1;          // ImageMaps: columns per image (L)
  float newest_alpha = 1.0f;     // the last filled cell fades in (playback transition 0..1)
  // Focus (orange, 3 px) and hover (dashed text colour) in canonical indices.
  std::optional<Index> focus_row, focus_column;
  std::optional<Cell> focus_cell;
  std::optional<Index> hover_row, hover_column;
  std::optional<Cell> hover_cell;
  // More linked cells (e.g. the copies of a hovered input pixel), outlined like hover.
  std::vector<Cell> linked_cells;
  // Blocks outlined like focus / hover, e.g. a receptive field on an input plane.
  std::vector<CellBlock> focus_blocks, hover_blocks;
};

// Position of canonical cell `c` in the mask's fill order, and whether it is filled.
Index FillOrderIndex(const MaskState& mask, Index rows, Index cols, const Cell& c);
bool IsFilled(const MatrixTexture& texture, const MaskState& mask, const Cell& c);

// The mask of one of core's matrices at a frame, following the timeline's phases
// (extract fills X_col column by column, multiply fills Y row by row, ...).
// `transition` (0..1) fades in the newest cell.
MaskState MaskFor(MatrixId id, const FrameState& frame, const Shape& shape, float transition = 1.0f);

// Adds what a hover links to in matrix `id` (LinksOf in hover.h): whole rows / columns
// (dashed outlines) and single cells, e.g. the X_col copies of a hovered input pixel.
struct HoverLinks;
void AddHoverLinks(MaskState& mask, MatrixId id, const HoverLinks& links);

// ---------------------------------------------------------------------------------
// [SECTION] Looks
// ---------------------------------------------------------------------------------

enum class ColourMode {
  Tint,  // mix(tint_low, tint_high, |value| / value_max): the meaning's colour
  Heat,  // cividis((value - heat_min) / (value_max - heat_min)); below heat_min: empty
};

inline constexpr float kNumberMinCellPixels = 28.0f;  // numbers appear from this cell size
inline constexpr float kGridMinCellPixels = 6.0f;     // grid lines appear from this cell size

struct MatrixStyle {
  ColourMode mode = ColourMode::Tint;
  ImU32 tint_low = 0, tint_high = 0;  // value 0 and |value| = value_max
  ImU32 empty = 0;                    // not filled yet
  ImU32 padding = 0, padding_hatch = 0;
  ImU32 grid_line = 0;
  ImU32 focus = 0, hover = 0;
  ImU32 text = 0, background = 0;
  float focus_width = 3.0f, hover_width = 2.5f;
  float value_max = 0.0f;  // 0: the texture's max |value| (Tint) or max value (Heat)
  float heat_min = 1.0f;   // overlap counts start at 1
  float grid_min_cell = kGridMinCellPixels;
  float number_min_cell = kNumberMinCellPixels;
  bool show_numbers = true;
  ImFont* number_font = nullptr;        // nullptr: NumberFont(), else ImGui's current font
  ImFont* small_number_font = nullptr;  // when a number is too wide: SmallNumberFont()

  // Everything from ActivePalette(): `low`/`high` tint (e.g. p.input_tint, p.input).
  static MatrixStyle Tinted(ImU32 low, ImU32 high);
  static MatrixStyle Heat();
};

// The value that gets the full colour: style.value_max, else the texture's max |value|
// (Tint) or max value (Heat).
float ColourScaleMax(const MatrixTexture& texture, const MatrixStyle& style);

// The fill colour of displayed cell (row, col) without grid, hatching or outlines:
// the CPU twin of matrix.frag, for text contrast and tests.
ImU32 CellFillColour(const MatrixTexture& texture, const MaskState& mask, const MatrixStyle& style,
                     const CellRef& displayed);

// ---------------------------------------------------------------------------------
// [SECTION] Drawing
// ---------------------------------------------------------------------------------

// Draws the matrix's cells as seen through `view` in `area`: a shader renders them into a
// cached picture when the view, the mask or the values changed (not every frame), and
// the picture goes into the draw list as an image clipped to `area`. Then the numbers of
// visible cells once they are at least
// style.number_min_cell on screen, the linked-cell outlines, a frame, and records
// visible cells of at least 4 px as "<layout_prefix>[row,col]" (displayed indices)
// while a layout recording runs (layout_prefix may be empty). Call SyncZoomView (or
// HandleZoomInput) for the view first in the frame.
void DrawMatrixTexture(ImDrawList* draw, const MatrixTexture& texture, const ZoomView& view, const ImRect& area,
                       const MaskState& mask, const MatrixStyle& style, const char* layout_prefix = "");

// The displayed cell under the mouse (io.MousePos) when it is inside `area` on the
// matrix and not on the zoom controls; nullopt otherwise. `enabled` false: nullopt.
std::optional<CellRef> HoveredCell(const MatrixTexture& texture, const ZoomView& view, const ImRect& area,
                                   bool enabled = true);

struct MatrixViewResult {
  std::optional<CellRef> hovered;  // displayed indices; texture.Canonical(*hovered) for core
  bool area_hovered = false;
  bool view_changed = false;       // zoomed or panned this frame
};
// All of it for one matrix: HandleZoomInput (an ImGui item named `id`), DrawMatrixTexture,
// the minimap picture and DrawZoomControls, and the hovered cell. Inside an ImGui window.
MatrixViewResult DrawZoomableMatrix(const char* id, const MatrixTexture& texture, ZoomView& view,
                                    const ImRect& area, const MaskState& mask, const MatrixStyle& style,
                                    const char* layout_prefix = "");

// False without a GL context and ImGui OpenGL renderer (a headless run): then Upload
// fails and DrawMatrixTexture draws a placeholder; draw with ImGui shapes instead.
bool GpuMatrixDrawingAvailable();
// Frees the shared program and cached pictures of the current GL context (call before
// destroying it).
void ShutdownMatrixRenderer();
// How many pictures the shader has rendered so far (a frame that changes nothing renders none).
long long MatrixPicturesRendered();
// Of those, how many redrew only the cells a playback step changed.
long long MatrixPicturesRenderedInPart();
// Non-empty when the shader program could not be built (the message names the file);
// then DrawMatrixTexture draws a plain placeholder with the message.
const std::string& MatrixRendererError();

}  // namespace im2col::gui
