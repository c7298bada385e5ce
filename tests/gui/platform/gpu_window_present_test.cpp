// Drawing only what changed (damage.h, window_present.h) must show exactly the pixels a
// full redraw shows. These tests play real frames in a visible window (Xvfb + llvmpipe):
// every frame is drawn the window's way, into its back buffer holding the frame
// before, and also whole into a framebuffer object; the two images must be identical,
// byte for byte, and so must the screen after the damaged rectangles are copied to it.
// The rectangle arithmetic is checked without a display.
#include <gtest/gtest.h>

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/platform/damage.h"
#include "gui/panels/frame.h"
#include "gui/platform/platform.h"
#include "gui/widgets/theme.h"
#include "gui/platform/window_present.h"
#include "x11_screen.h"

namespace {

using namespace im2col;
using namespace im2col::gui;

// ---- without a display ----

TEST(DamageRects, ScissorRoundTripsThroughTheClipRectangle) {
  std::mt19937 random(7);
  for (float scale : {1.0f, 1.25f, 1.5f, 2.0f, 3.0f}) {
    ImDrawData draw;
    draw.DisplayPos = ImVec2(0.0f, 0.0f);
    draw.FramebufferScale = ImVec2(scale, scale);
    draw.DisplaySize = ImVec2(4096.0f / scale, 2160.0f / scale);
    for (int i = 0; i < 2000; ++i) {
      const int x0 = std::uniform_int_distribution<int>(0, 4000)(random);
      const int y0 = std::uniform_int_distribution<int>(0, 2100)(random);
      const PixelRect box{x0, y0, x0 + std::uniform_int_distribution<int>(1, 96)(random),
                          y0 + std::uniform_int_distribution<int>(1, 60)(random)};
      ImDrawCmd cmd;
      SetScissor(&cmd, draw, box);
      ASSERT_EQ(ScissorOf(cmd, draw), box) << "scale " << scale << " box " << box.x0 << "," << box.y0;
    }
    ImDrawCmd cmd;
    SetScissor(&cmd, draw, PixelRect{});
    EXPECT_TRUE(ScissorOf(cmd, draw).Empty()) << "an empty box makes the backend skip the command";
  }
}

TEST(DamageRects, MergedRectanglesCoverEveryDirtyTileAndStayFew) {
  std::mt19937 random(11);
  constexpr int kTile = 32, kTilesX = 60, kTilesY = 34, kWidth = 1920, kHeight = 1080;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<bool> dirty(kTilesX * kTilesY, false);
    const double density = std::uniform_real_distribution<double>(0.0, trial % 3 == 0 ? 0.6 : 0.05)(random);
    for (size_t t = 0; t < dirty.size(); ++t) dirty[t] = std::bernoulli_distribution(density)(random);
    const std::vector<PixelRect> rects = MergeDirtyTiles(dirty, kTilesX, kTilesY, kTile, kWidth, kHeight, 12);
    ASSERT_LE(rects.size(), 12u);
    for (const PixelRect& r : rects) {
      ASSERT_FALSE(r.Empty());
      ASSERT_GE(r.x0, 0);
      ASSERT_GE(r.y0, 0);
      ASSERT_LE(r.x1, kWidth);
      ASSERT_LE(r.y1, kHeight);
    }
    for (int ty = 0; ty < kTilesY; ++ty) {
      for (int tx = 0; tx < kTilesX; ++tx) {
        if (!dirty[static_cast<size_t>(ty * kTilesX + tx)]) continue;
        const PixelRect tile = Intersect({tx * kTile, ty * kTile, (tx + 1) * kTile, (ty + 1) * kTile},
                                         {0, 0, kWidth, kHeight});
        long long covered = 0;  // every pixel of the tile lies in some rectangle
        for (int y = tile.y0; y < tile.y1; y += 7) {
          for (int x = tile.x0; x < tile.x1; x += 7) {
            bool inside = false;
            for (const PixelRect& r : rects) inside = inside || (x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1);
            covered += inside ? 1 : 0;
            ASSERT_TRUE(inside) << "tile " << tx << "," << ty << " pixel " << x << "," << y;
          }
        }
        ASSERT_GT(covered, 0);
      }
    }
  }
  EXPECT_TRUE(MergeDirtyTiles(std::vector<bool>(kTilesX * kTilesY, false), kTilesX, kTilesY, kTile, kWidth, kHeight, 12)
                  .empty());
}

TEST(DamageRects, ChoosesDamagedRectanglesOnlyForSoftwareRenderersThatCanCopy) {
  EXPECT_EQ(ChoosePresentMode("llvmpipe (LLVM 15.0.6, 256 bits)", true, nullptr), PresentMode::DamagedRects);
  EXPECT_EQ(ChoosePresentMode("llvmpipe (LLVM 15.0.6, 256 bits)", false, nullptr), PresentMode::FullSwap);
  EXPECT_EQ(ChoosePresentMode("AMD Radeon RX 6600 (navi23)", true, nullptr), PresentMode::FullSwap);
  EXPECT_EQ(ChoosePresentMode("llvmpipe", true, "full"), PresentMode::FullSwap);
  EXPECT_EQ(ChoosePresentMode("AMD Radeon", true, "partial"), PresentMode::DamagedRects);
  EXPECT_EQ(ChoosePresentMode("AMD Radeon", false, "partial"), PresentMode::FullSwap);
}

TEST(DamageRects, ABackBufferKeptInPlaceGetsDamagedRectanglesOnAnyRenderer) {
  // A browser canvas with preserveDrawingBuffer: no copy needed, and the page hides
  // whether SwiftShader or a GPU draws ("WebKit WebGL").
  EXPECT_EQ(ChoosePresentMode("WebKit WebGL", false, nullptr, /*kept_in_place=*/true), PresentMode::DamagedRects);
  EXPECT_EQ(ChoosePresentMode("AMD Radeon", false, nullptr, true), PresentMode::DamagedRects);
  EXPECT_EQ(ChoosePresentMode("WebKit WebGL", false, "full", true), PresentMode::FullSwap);
  EXPECT_EQ(ChoosePresentMode("WebKit WebGL", false, nullptr, false), PresentMode::FullSwap);
}

// ---- in a window ----

constexpr int kWidth = 1280, kHeight = 720;

class WindowPresentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    platform_ = new Platform();
    PlatformOptions options;
    options.width = kWidth;
    options.height = kHeight;
    options.vsync = false;
    if (!platform_->Init(options, &skip_reason_)) {
      delete platform_;
      platform_ = nullptr;
      return;
    }
  }
  static void TearDownTestSuite() {
    delete platform_;
    platform_ = nullptr;
  }
  void SetUp() override {
    if (platform_ == nullptr) GTEST_SKIP() << "no display / GL 3.3: " << skip_reason_;
    if (platform_->presenter().mode() != PresentMode::DamagedRects) {
      GTEST_SKIP() << "this renderer draws whole frames (no GLX_MESA_copy_sub_buffer or not a software renderer)";
    }
  }

  static std::vector<std::uint8_t> Read(GLenum framebuffer_target_buffer, int width, int height) {
    std::vector<std::uint8_t> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(framebuffer_target_buffer);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    return pixels;
  }

  // One frame of `state`, the window's way, compared with a full redraw of the same
  // draw data. Returns the share of pixels the window's way redrew.
  // `check_screen` false: the X server may show the frame at the old size (a resize).
  static double DrawAndCompare(AppState& state, const std::string& what, bool check_screen = true) {
    std::string error;
    EXPECT_TRUE(platform_->EnsureStyle(state.theme, state.font_scale, &error)) << error;
    int width = 0, height = 0;
    platform_->FramebufferSize(&width, &height);
    state.width = width;
    state.height = height;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    platform_->BeginFrame();
    DrawAppFrame(state, &platform_->gpu());
    platform_->DrawToWindow(ActivePalette().panel, width, height);
    const std::vector<std::uint8_t> partial = Read(GL_BACK, width, height);

    // The same draw data drawn whole into the same buffer (the same pixel format, so
    // the same blending arithmetic).
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(ActivePalette().panel);
    glViewport(0, 0, width, height);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(c.x, c.y, c.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    const std::vector<std::uint8_t> full = Read(GL_BACK, width, height);

    // Colour only: the window's framebuffer may have no alpha channel (24-bit visual).
    size_t differing = 0, first = full.size();
    for (size_t i = 0; i < full.size(); ++i) {
      if (i % 4 != 3 && partial[i] != full[i]) {
        ++differing;
        if (first == full.size()) first = i;
      }
    }
    EXPECT_EQ(differing, 0u) << what << ": first difference at pixel x " << (first / 4) % width << ", y from bottom "
                             << (first / 4) / width;
    platform_->SwapBuffers();
    std::vector<std::uint8_t> shown;
    if (!check_screen) {
    } else if (::im2col::testing::ReadWindowScreenRgb(platform_->window(), width, height, &shown)) {
      size_t not_shown = 0;
      for (size_t p = 0; p < shown.size() / 3; ++p) {
        for (int k = 0; k < 3; ++k) not_shown += shown[3 * p + k] != full[4 * p + k] ? 1 : 0;
      }
      EXPECT_EQ(not_shown, 0u) << what << ": the screen does not show the frame";
    } else {
      ADD_FAILURE() << "could not read the window back from the X server";
    }
    return static_cast<double>(platform_->presenter().last_drawn_pixels()) / (static_cast<double>(width) * height);
  }

  static void Settle(AppState& state) {
    ApplyIntents(state);
    while (HasBackgroundWork(state)) AdvancePlayback(state, 0.0f);
  }

  inline static Platform* platform_ = nullptr;
  inline static std::string skip_reason_;
};

TEST_F(WindowPresentTest, PlayingHoveringAndEditingShowsExactlyTheFullRedraw) {
  AppState state = MakeAppState(Scenario{});
  platform_->RepaintWindow();
  EXPECT_EQ(DrawAndCompare(state, "first frame"), 1.0) << "the first frame is drawn whole";
  PushIntent(state, intent::SetSpeed{kMaxSpeed});
  PushIntent(state, intent::SetPlaying{true});
  Settle(state);
  std::mt19937 random(2026);
  const Shape& s = state.scenario.shape;
  double drawn = 0.0;
  int frames = 0;
  for (int frame = 0; frame < 240; ++frame) {
    // Now and then what a student does: hover a pixel or an X_col cell, step, edit.
    switch (frame % 40) {
      case 5: PushIntent(state, intent::SetHover{HoverTarget::Tensor(HoverTarget::Kind::InputPixel, 0, 1, 1, 2)}); break;
      case 9: PushIntent(state, intent::SetHover{HoverTarget::Matrix(HoverTarget::Kind::XColCell,
                                                                    static_cast<int>(random() % s.PatchSize()),
                                                                    static_cast<int>(random() % s.ColumnCount()))});
        break;
      case 14: PushIntent(state, intent::SetHover{HoverTarget{}}); break;
      case 20: PushIntent(state, intent::JumpToPhase{kAllPhases[random() % kPhaseCount]}); break;
      case 27: PushIntent(state, intent::SetShapeField{ShapeField::KernelH, frame < 120 ? 3 : 2}); break;
      case 33: PushIntent(state, intent::ToggleOverwrite{}); break;
      default: break;
    }
    if (frame == 150) PushIntent(state, intent::SetTheme{ThemeId::Dark});
    if (frame == 200) PushIntent(state, intent::SetLayout{Layout::Rows});
    Settle(state);
    AdvancePlayback(state, 1.0f / 60.0f);
    drawn += DrawAndCompare(state, "frame " + std::to_string(frame));
    ++frames;
    if (::testing::Test::HasFailure()) break;
  }
  // The point of it all: a playing frame redraws a small part of the window (the stage's
  // camera scrolls to follow the step and its phase, which redraws the canvas then).
  EXPECT_LT(drawn / frames, 0.35);
}

TEST_F(WindowPresentTest, AlexNetPicturesUpdateWhereTheStepChangedThem) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::LoadPreset{"alexnet-conv1"});
  Settle(state);
  ASSERT_EQ(state.scenario.shape.filters, 96) << "the AlexNet preset did not load";
  platform_->RepaintWindow();
  DrawAndCompare(state, "AlexNet first frame");
  // Steps inside the extract phase change X_col's picture (a texture the draw data does
  // not show), then a jump to the multiply phase fills Y's.
  // Scrubs far ahead fill thousands of X_col cells away from anything the draw data
  // moves (only the focus outline does): those pixels are known from ReportDamage alone.
  for (int i = 0; i < 30; ++i) {
    if (i < 8) {
      PushIntent(state, intent::StepBy{37});
    } else if (i < 20) {
      PushIntent(state, intent::SetStep{state.playback.step + 60000});
    } else {
      PushIntent(state, intent::StepBy{1});
    }
    if (i == 25) PushIntent(state, intent::JumpToPhase{Phase::Multiply});
    Settle(state);
    state.playback.transition = 1.0f;
    DrawAndCompare(state, "AlexNet step " + std::to_string(i));
    if (::testing::Test::HasFailure()) break;
  }
}

TEST_F(WindowPresentTest, AStillFrameRedrawsNothingAndAnExposedOneEverything) {
  AppState state = MakeAppState(Scenario{});
  Settle(state);
  state.playback.transition = 1.0f;
  // ImGui settles over a few frames (window sizes, the pointer's hover and its tooltip
  // delay): then frame after frame is the same and draws nothing.
  int still_frames = 0;
  for (int frame = 0; frame < 120 && still_frames < 5; ++frame) {
    still_frames = DrawAndCompare(state, "settling " + std::to_string(frame)) == 0.0 ? still_frames + 1 : 0;
  }
  EXPECT_EQ(still_frames, 5) << "a still frame kept redrawing pixels";
  platform_->RepaintWindow();  // what the window's refresh (expose) callback does
  EXPECT_EQ(DrawAndCompare(state, "exposed"), 1.0);
}

TEST_F(WindowPresentTest, AResizedWindowIsDrawnWholeAtItsNewSize) {
  AppState state = MakeAppState(Scenario{});
  Settle(state);
  state.playback.transition = 1.0f;
  DrawAndCompare(state, "before resizing");
  for (const auto& [w, h] : {std::pair{1000, 600}, std::pair{1400, 800}, std::pair{kWidth, kHeight}}) {
    glfwSetWindowSize(platform_->window(), w, h);
    int width = 0, height = 0;
    for (int wait = 0; wait < 200 && (width != w || height != h); ++wait) {  // the server answers in its time
      glfwWaitEventsTimeout(0.01);
      platform_->FramebufferSize(&width, &height);
    }
    ASSERT_EQ(width, w);
    ASSERT_EQ(height, h);
    // As with any swap on Mesa's software winsys, the first frame at a new size may
    // reach the screen at the old one; the next is whole and right, then partial again.
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    EXPECT_EQ(DrawAndCompare(state, "resized to " + size, /*check_screen=*/false), 1.0);
    EXPECT_EQ(DrawAndCompare(state, "the frame after resizing to " + size), 1.0);
    PushIntent(state, intent::StepBy{1});
    Settle(state);
    DrawAndCompare(state, "a step at " + size);
    // Then frames are partial again: a still one draws nothing.
    bool still = false;
    for (int frame = 0; frame < 60 && !still; ++frame) still = DrawAndCompare(state, "then " + size) == 0.0;
    EXPECT_TRUE(still) << "at " << size << " every frame was still drawn whole";
  }
}

}  // namespace
