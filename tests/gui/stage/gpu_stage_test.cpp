// The stage's large matrices as GPU pictures (stage_gpu.cpp), through the real app
// frame: AlexNet conv1's X_col (363 x 3025) is one zoomable picture of its values, not
// summary blocks; extract steps change only the columns they fill; zooming in with
// the wheel and pointing at a cell reports that cell's canonical indices (also when the
// "rows" layout shows X_col transposed), outlines the input pixel it copies, and shows
// its number. Needs a display (Xvfb); skips without one.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>
#include <string>
#include <variant>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/stage/stage_gpu.h"
#include "gui/panels/frame.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/widgets/theme.h"
#include "im2col/indexing.h"
#include "io/atomic_file.h"
#include "io/presets.h"

namespace im2col::gui {
namespace {

constexpr int kWidth = 1920, kHeight = 1080;

class GpuStage : public im2col::testing::HiddenWindowTest {
 protected:
  static AppState AlexNetAt(Index step, Layout layout = Layout::Columns) {
    const io::ScenarioReadResult loaded = io::LoadPreset("alexnet-conv1");
    EXPECT_TRUE(loaded.ok()) << loaded.error;
    Scenario scenario = loaded.document->scenario;
    scenario.layout = layout;
    return StateAtStep(scenario, step);
  }
  static Index ExtractMiddle(const AppState& state) {
    return state.timeline->PhaseBegin(Phase::Extract) + state.timeline->PhaseLength(Phase::Extract) / 2;
  }

  void Render(AppState& state) {
    std::string error;
    ASSERT_TRUE(RenderStateToImage(*platform_, state, kWidth, kHeight, &image_, &layout_, &error)) << error;
  }
  // One interactive frame: the pointer at `mouse`, `wheel` notches; records the layout.
  void InteractiveFrame(AppState& state, ImVec2 mouse, float wheel) {
    ImGui::GetIO().MouseWheel = wheel;  // read by this frame's NewFrame, cleared by its EndFrame
    state.intents.clear();
    BeginLayoutRecording();
    OffscreenPointer pointer;
    pointer.x = mouse.x;
    pointer.y = mouse.y;
    platform_->BeginFrame(/*offscreen=*/true, kWidth, kHeight, pointer);
    DrawAppFrame(state, &platform_->gpu());
    platform_->RenderFrame(ActivePalette().panel, kWidth, kHeight);
    layout_ = EndLayoutRecording();
  }
  const LayoutItem* Find(const std::string& id) const {
    for (const LayoutItem& item : layout_)
      if (item.id == id) return &item;
    return nullptr;
  }
  // The recorded cell "<prefix>[a,b]" under `point`: its displayed indices and rectangle.
  std::optional<std::pair<std::pair<Index, Index>, LayoutItem>> CellAt(const std::string& prefix, ImVec2 point) const {
    for (const LayoutItem& item : layout_) {
      if (item.id.rfind(prefix + "[", 0) != 0) continue;
      if (point.x < item.x || point.y < item.y || point.x >= item.x + item.w || point.y >= item.y + item.h) continue;
      long long a = 0, b = 0;
      if (std::sscanf(item.id.c_str() + prefix.size(), "[%lld,%lld]", &a, &b) != 2) continue;
      return std::make_pair(std::make_pair(Index{a}, Index{b}), item);
    }
    return std::nullopt;
  }
  ImU32 Pixel(const RgbImage& image, int x, int y) const {
    const size_t k = (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 3;
    return IM_COL32(image.rgb[k], image.rgb[k + 1], image.rgb[k + 2], 255);
  }
  static float Luminance(ImU32 c) {
    return 0.2126f * static_cast<float>((c >> IM_COL32_R_SHIFT) & 0xFF) +
           0.7152f * static_cast<float>((c >> IM_COL32_G_SHIFT) & 0xFF) +
           0.0722f * static_cast<float>((c >> IM_COL32_B_SHIFT) & 0xFF);
  }
  static std::optional<HoverTarget> PushedHover(const AppState& state) {
    std::optional<HoverTarget> hover;
    for (const Intent& i : state.intents)
      if (const auto* h = std::get_if<intent::SetHover>(&i)) hover = h->target;
    return hover;
  }
  // Zooms X_col about `point` one notch a frame until its cells are at least `min_side`
  // pixels (numbers show from 28); returns the hovered cell's record.
  std::optional<std::pair<std::pair<Index, Index>, LayoutItem>> ZoomInOn(AppState& state, ImVec2 point, float min_side) {
    std::optional<std::pair<std::pair<Index, Index>, LayoutItem>> cell;
    for (int frame = 0; frame < 60; ++frame) {
      InteractiveFrame(state, point, 1.0f);
      cell = CellAt("x_col", point);
      if (cell && std::min(cell->second.w, cell->second.h) >= min_side) break;
    }
    InteractiveFrame(state, point, 0.0f);  // settled: no wheel, same pointer
    return CellAt("x_col", point);
  }

  RgbImage image_;
  std::vector<LayoutItem> layout_;
};


TEST_F(GpuStage, XColIsOnePictureOfItsValues) {
  AppState probe = AlexNetAt(0);
  AppState state = AlexNetAt(ExtractMiddle(probe));
  Render(state);
  const LayoutItem* picture = Find("picture:x_col");
  ASSERT_NE(picture, nullptr) << "X_col is not drawn as a GPU picture";
  EXPECT_GT(picture->w, 300.0f);
  EXPECT_GT(picture->h, 100.0f);
  for (const LayoutItem& item : layout_) EXPECT_NE(item.id.rfind("x_col[", 0), 0u) << "cells recorded at fit: " << item.id;

  // Filled half (left): a real picture of random values, varying pixel to pixel (summary
  // blocks are at least 3 px wide: at most one pair in three would differ).
  const int x0 = static_cast<int>(picture->x) + 4, x1 = static_cast<int>(picture->x + picture->w * 0.4f);
  const int y0 = static_cast<int>(picture->y) + 4, y1 = static_cast<int>(picture->y + picture->h) - 4;
  std::set<ImU32> colours;
  long long pairs = 0, differing = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      colours.insert(Pixel(image_, x, y));
      ++pairs;
      differing += Pixel(image_, x, y) != Pixel(image_, x + 1, y);
    }
  }
  EXPECT_GE(colours.size(), 4u);  // the preset's inputs are small integers: a few tints
  EXPECT_GT(static_cast<double>(differing) / static_cast<double>(pairs), 0.5);
  // Not filled yet (right): one flat colour.
  std::set<ImU32> empty;
  for (int y = y0; y < y1; ++y)
    for (int x = static_cast<int>(picture->x + picture->w * 0.7f); x < static_cast<int>(picture->x + picture->w) - 4; ++x)
      empty.insert(Pixel(image_, x, y));
  EXPECT_EQ(empty.size(), 1u);
  // The tensors beside it are pictures too.
  EXPECT_NE(Find("picture:input[0,0]"), nullptr);
  EXPECT_NE(Find("picture:w_row"), nullptr);
}

TEST_F(GpuStage, ExtractStepChangesOnlyItsColumns) {
  AppState probe = AlexNetAt(0);
  const Index rows = probe.computation->shape.PatchSize(), cols = probe.computation->shape.ColumnCount();
  const Index first = ExtractMiddle(probe) / rows * rows;  // the top of a column
  AppState state = AlexNetAt(first);
  Render(state);
  const LayoutItem before_rect = *Find("picture:x_col");
  const RgbImage before = image_;
  const Index later = first + 30 * rows + rows / 2;  // 30 columns on, half way down
  PushIntent(state, intent::SetStep{later});
  ApplyIntents(state);
  state.playback.transition = 1.0f;
  state.playback.previous_step = state.playback.step;
  Render(state);
  const LayoutItem* after_rect = Find("picture:x_col");
  ASSERT_NE(after_rect, nullptr);
  ASSERT_EQ(before_rect.x, after_rect->x);  // the stage did not scroll: pixels compare
  ASSERT_EQ(before_rect.y, after_rect->y);
  // The columns filled meanwhile, and the focus outline (3 px, grown to 6 px when a
  // column is below a pixel) around the old and the new column.
  const float column_w = before_rect.w / static_cast<float>(cols);
  const float lo = before_rect.x + column_w * static_cast<float>(first / rows) - 8.0f;
  const float hi = before_rect.x + column_w * static_cast<float>(later / rows + 1) + 8.0f;
  int changed = 0, outside = 0;
  for (int y = static_cast<int>(before_rect.y); y < static_cast<int>(before_rect.y + before_rect.h); ++y) {
    for (int x = static_cast<int>(before_rect.x); x < static_cast<int>(before_rect.x + before_rect.w); ++x) {
      if (Pixel(before, x, y) == Pixel(image_, x, y)) continue;
      ++changed;
      if (x < lo || x > hi) ++outside;
    }
  }
  EXPECT_GT(changed, 100);
  EXPECT_EQ(outside, 0) << "pixels changed outside X_col columns " << first / rows << ".." << later / rows;
}

// Wheel-zooms X_col about a point and hovers it: the stage pushes the cell's canonical
// target, in both layouts, and the other views link to it.
TEST_F(GpuStage, ZoomedXColHoverGivesTheCanonicalCell) {
  int links_checked = 0;
  for (const Layout layout : {Layout::Columns, Layout::Rows}) {
    SCOPED_TRACE(layout == Layout::Rows ? "rows layout" : "columns layout");
    AppState probe = AlexNetAt(0);
    AppState state = AlexNetAt(ExtractMiddle(probe), layout);
    Render(state);
    const LayoutItem* picture = Find("picture:x_col");
    ASSERT_NE(picture, nullptr);
    const LayoutItem at_fit = *picture;
    // A point in the filled part, off the centre lines so it is not on the zoom controls.
    const ImVec2 point(at_fit.x + at_fit.w * 0.3f, at_fit.y + at_fit.h * 0.45f);
    const auto cell = ZoomInOn(state, point, 30.0f);
    ASSERT_TRUE(cell.has_value()) << "no x_col cell recorded under the pointer after zooming";
    const LayoutItem* zoomed = Find("picture:x_col");
    ASSERT_NE(zoomed, nullptr);
    EXPECT_EQ(zoomed->x, at_fit.x);  // zooming moves the picture's content, not its box
    EXPECT_EQ(zoomed->w, at_fit.w);
    const auto [displayed, rect] = *cell;
    EXPECT_GE(std::min(rect.w, rect.h), 30.0f);
    // Displayed (a, b) is canonical (b, a) when the rows layout transposes X_col.
    const bool transposed = layout == Layout::Rows;
    const Index r = transposed ? displayed.second : displayed.first, j = transposed ? displayed.first : displayed.second;
    // The cell under the pointer at fit is the one it still points at (the wheel zooms
    // about the pointer), give or take a pixel at fit.
    const double display_cols = static_cast<double>(transposed ? state.computation->shape.PatchSize()
                                                               : state.computation->shape.ColumnCount());
    const double display_rows = static_cast<double>(transposed ? state.computation->shape.ColumnCount()
                                                               : state.computation->shape.PatchSize());
    EXPECT_NEAR((static_cast<double>(displayed.second) + 0.5) * at_fit.w / display_cols, point.x - at_fit.x, 1.5);
    EXPECT_NEAR((static_cast<double>(displayed.first) + 0.5) * at_fit.h / display_rows, point.y - at_fit.y, 1.5);
    const std::optional<HoverTarget> hover = PushedHover(state);
    ASSERT_TRUE(hover.has_value()) << "hovering the zoomed view pushed no SetHover";
    EXPECT_EQ(*hover, HoverTarget::Matrix(HoverTarget::Kind::XColCell, r, j));

    // Linking: the input pixel the cell copies is outlined (text colour) on its plane.
    PushIntent(state, intent::SetHover{*hover});
    ApplyIntents(state);
    Render(state);
    const SourceCoord source = SourceOf(state.computation->shape, state.scenario.order, r, j);
    const LayoutItem* plane =
        Find("picture:input[" + std::to_string(source.n) + "," + std::to_string(source.c) + "]");
    if (plane == nullptr) continue;  // that channel is scrolled out of view
    const Shape& shape = state.computation->shape;
    const float px = plane->x + (static_cast<float>(source.x + shape.padding.w) + 0.5f) * plane->w /
                                    static_cast<float>(shape.width + 2 * shape.padding.w);
    const float py = plane->y + (static_cast<float>(source.y + shape.padding.h) + 0.5f) * plane->h /
                                    static_cast<float>(shape.height + 2 * shape.padding.h);
    const float text = Luminance(ActivePalette().text);
    int outlined = 0;
    for (int y = static_cast<int>(py) - 4; y <= static_cast<int>(py) + 4; ++y)
      for (int x = static_cast<int>(px) - 4; x <= static_cast<int>(px) + 4; ++x)
        outlined += std::fabs(Luminance(Pixel(image_, x, y)) - text) < 20.0f;
    EXPECT_GE(outlined, 10) << "the hovered cell's source pixel (" << source.y << "," << source.x << ") is not outlined";
    ++links_checked;
  }
  EXPECT_GT(links_checked, 0) << "no source plane in view to check the link on";
}

TEST_F(GpuStage, ZoomedCellsShowTheirNumbers) {
  AppState probe = AlexNetAt(0);
  AppState state = AlexNetAt(ExtractMiddle(probe));
  Render(state);
  const LayoutItem at_fit = *Find("picture:x_col");
  const ImVec2 point(at_fit.x + at_fit.w * 0.3f, at_fit.y + at_fit.h * 0.45f);
  const auto cell = ZoomInOn(state, point, 30.0f);
  ASSERT_TRUE(cell.has_value());
  std::string error;
  // Read the zoomed frame back (RenderStateToImage draws with no pointer: same view).
  ASSERT_TRUE(RenderStateToImage(*platform_, state, kWidth, kHeight, &image_, &layout_, &error)) << error;
  std::filesystem::create_directories(IM2COL_GPU_TEST_OUT);  // for people to look at
  io::WriteFileAtomically(std::string(IM2COL_GPU_TEST_OUT) + "/stage_x_col_zoomed.png", EncodePng(image_));
  // Two cells to the right of the pointed one (no hover outline there), away from its
  // edges: the fill, and the number's glyphs in a contrasting colour.
  const auto& rect = cell->second;
  const int x0 = static_cast<int>(rect.x + 2.0f * rect.w) + 5, x1 = static_cast<int>(rect.x + 3.0f * rect.w) - 5;
  const int y0 = static_cast<int>(rect.y) + 5, y1 = static_cast<int>(rect.y + rect.h) - 5;
  const float fill = Luminance(Pixel(image_, x0, y0));
  int glyph = 0, total = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      glyph += std::fabs(Luminance(Pixel(image_, x, y)) - fill) > 80.0f;
      ++total;
    }
  }
  EXPECT_GT(glyph, 5) << "no number drawn in a " << rect.w << " x " << rect.h << " px cell";
  EXPECT_LT(glyph, total / 2);
}

// What the GPU holds for a texture (read back), and its CPU copy: every cell's value
// and no padding flag.
void ExpectTextureHolds(const MatrixTexture& texture, const Matrix& values) {
  ASSERT_TRUE(texture.uploaded());
  ASSERT_EQ(texture.rows(), values.rows());
  ASSERT_EQ(texture.cols(), values.cols());
  const std::vector<float> texels = texture.ReadTexels();
  ASSERT_EQ(static_cast<Index>(texels.size()), 2 * values.size());
  for (Index i = 0; i < values.size(); ++i) {
    const size_t k = static_cast<size_t>(i);
    ASSERT_EQ(texels[2 * k], static_cast<float>(values.data()[i])) << "cell " << i << " on the GPU";
    ASSERT_EQ(texels[2 * k + 1], 0.0f) << "cell " << i << ": no padding in this scenario";
    ASSERT_EQ(texture.Value(i / values.cols(), i % values.cols()), values.data()[i]) << "cell " << i << " on the CPU";
  }
}

// Polls like the window until the worker's result for `done` is shown.
template <typename Done>
void WaitForWorker(AppState& state, Done done) {
  for (int i = 0; i < 4000 && !done(); ++i) {
    PollBackgroundWork(state);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(done());
}

// Slider changes computed on the worker, as in the window. One filter fewer leaves X_col
// as it was: its texture and picture are kept, now reading the new computation's values
// (the old one is freed). New random values change X_col: the frame that adopts them
// shows them in the same GL texture, exactly as a fresh render of the scenario does.
// dX_col, which the worker does not pack while the timeline extracts, shows its own
// numbers when its phase is opened.
TEST_F(GpuStage, WorkerResultsReachTheTexturesThatShowThem) {
  AppState probe = AlexNetAt(0);
  AppState state = AlexNetAt(ExtractMiddle(probe));
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  Render(state);
  const MatrixTexture* x_col = stage::PictureTexture(platform_->gpu(), "x_col");
  ASSERT_NE(x_col, nullptr);
  ExpectTextureHolds(*x_col, state.computation->x_col);
  const unsigned int gl_name = x_col->gl_texture();
  const std::uint64_t serial = x_col->serial();

  // One filter fewer, as bench --gui does.
  const std::weak_ptr<const Computation> first = state.computation;
  PushIntent(state, intent::SetShapeField{ShapeField::Filters, 95});
  ApplyIntents(state);
  ASSERT_TRUE(IsComputing(state));
  WaitForWorker(state, [&] { return state.computation->shape.filters == 95; });
  ASSERT_NE(state.packed, nullptr);
  EXPECT_EQ(state.packed->Find(MatrixId::XCol), nullptr) << "X_col did not change: nothing to pack";
  EXPECT_NE(state.packed->Find(MatrixId::WRow), nullptr) << "W_row lost a row: packed on the worker";
  Render(state);
  x_col = stage::PictureTexture(platform_->gpu(), "x_col");
  ASSERT_NE(x_col, nullptr);
  EXPECT_EQ(x_col->gl_texture(), gl_name);
  EXPECT_EQ(x_col->serial(), serial) << "an unchanged X_col is not uploaded again";
  const MatrixTexture* w_row = stage::PictureTexture(platform_->gpu(), "w_row");
  ASSERT_NE(w_row, nullptr);
  ExpectTextureHolds(*w_row, state.computation->w_row);
  for (int i = 0; i < 100 && !first.expired(); ++i) {  // the textures let go, the worker frees it
    PollBackgroundWork(state);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(first.expired()) << "the replaced computation is still held";
  ExpectTextureHolds(*x_col, state.computation->x_col);  // read from the new computation's memory

  // New random values: X_col changes its numbers, not its size.
  const std::uint64_t seed = state.scenario.seed + 1;
  PushIntent(state, intent::SetSeed{seed});
  ApplyIntents(state);
  WaitForWorker(state, [&] { return state.scenario.seed == seed; });
  ASSERT_NE(state.packed, nullptr);
  ASSERT_NE(state.packed->Find(MatrixId::XCol), nullptr) << "X_col is packed on the worker while extracting";
  ASSERT_EQ(state.packed->Find(MatrixId::GradXCol), nullptr);
  Render(state);
  x_col = stage::PictureTexture(platform_->gpu(), "x_col");
  ASSERT_NE(x_col, nullptr);
  EXPECT_EQ(x_col->gl_texture(), gl_name) << "a texture of the same size is refilled, not made again";
  EXPECT_NE(x_col->serial(), serial);
  ExpectTextureHolds(*x_col, state.computation->x_col);
  EXPECT_EQ(state.packed->Find(MatrixId::XCol), nullptr) << "the worker's texels go once the texture holds them";
  const LayoutItem picture = *Find("picture:x_col");
  const RgbImage adopted = image_;

  // The same frame from a state computed on the UI thread (no worker, nothing packed).
  AppState reference = StateAtStep(state.scenario, state.playback.step);
  Render(reference);
  const LayoutItem* reference_picture = Find("picture:x_col");
  ASSERT_NE(reference_picture, nullptr);
  ASSERT_EQ(reference_picture->x, picture.x);
  ASSERT_EQ(reference_picture->w, picture.w);
  int differing = 0;
  for (int y = static_cast<int>(picture.y); y < static_cast<int>(picture.y + picture.h); ++y)
    for (int x = static_cast<int>(picture.x); x < static_cast<int>(picture.x + picture.w); ++x)
      differing += Pixel(adopted, x, y) != Pixel(image_, x, y);
  EXPECT_EQ(differing, 0) << "X_col after the worker's result differs from a fresh render of the same scenario";

  // dX_col: packed on the UI thread the first time its phase shows it.
  PushIntent(state, intent::JumpToPhase{Phase::GradXCol});
  ApplyIntents(state);
  state.playback.transition = 1.0f;
  state.playback.previous_step = state.playback.step;
  Render(state);
  ASSERT_NE(Find("picture:grad_x_col"), nullptr) << "dX_col is not in view in its own phase";
  const MatrixTexture* grad_x_col = stage::PictureTexture(platform_->gpu(), "grad_x_col");
  ASSERT_NE(grad_x_col, nullptr);
  ExpectTextureHolds(*grad_x_col, state.computation->grad_x_col);
}

}  // namespace
}  // namespace im2col::gui
