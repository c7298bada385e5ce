// The SHAPE panel's number fields as a teacher uses them: a typed value (Ctrl+click)
// applies on Enter or focus loss, not per keystroke; +/- and dragging apply at once;
// unchecking non-square makes every pair square again; an edited preset says so.
// Drives the real panel with ImGui input in a hidden window; skips without a display.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <filesystem>
#include <string>
#include <vector>

#include "gui/panels/frame.h"
#include "gui/platform/offscreen.h"
#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "io/atomic_file.h"
#include "io/presets.h"
#include "io/scenario_json.h"

namespace {

using namespace im2col;
using namespace im2col::gui;

constexpr int kWidth = 1600, kHeight = 900;

class ShapeFields : public im2col::testing::HiddenWindowTest {
 protected:
  // One window frame with the pointer at `pointer`; returns where things were drawn.
  std::vector<LayoutItem> Frame(AppState& state, OffscreenPointer pointer = {}) {
    std::string error;
    EXPECT_TRUE(platform_->EnsureStyle(state.theme, state.font_scale, &error)) << error;
    BeginLayoutRecording();
    platform_->BeginFrame(/*offscreen=*/true, kWidth, kHeight, pointer);
    DrawAppFrame(state, &platform_->gpu());
    platform_->RenderFrame(ActivePalette().panel, kWidth, kHeight);
    std::vector<LayoutItem> layout = EndLayoutRecording();
    ApplyIntents(state);
    generations_.push_back(state.scenario_generation);
    kernels_.push_back(state.scenario.shape.kernel.h);
    return layout;
  }
  static const LayoutItem* Find(const std::vector<LayoutItem>& layout, const std::string& id) {
    for (const LayoutItem& item : layout)
      if (item.id == id) return &item;
    return nullptr;
  }
  // Ctrl+click on the field, then each character in its own frame.
  void TypeInto(AppState& state, const LayoutItem& field, const std::string& text) {
    OffscreenPointer at{field.x + field.w / 2, field.y + field.h / 2, true};
    ImGui::GetIO().KeyCtrl = true;
    Frame(state, at);
    ImGui::GetIO().KeyCtrl = false;
    at.down = false;
    Frame(state, at);
    for (char c : text) {
      ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(c));
      Frame(state, at);
    }
    pointer_ = at;
  }
  void PressEnter(AppState& state) {
    const int enter = ImGui::GetIO().KeyMap[ImGuiKey_Enter];
    ImGui::GetIO().KeysDown[enter] = true;
    Frame(state, pointer_);
    ImGui::GetIO().KeysDown[enter] = false;
    Frame(state, pointer_);
  }
  OffscreenPointer pointer_;
  std::vector<Index> generations_;
  std::vector<int> kernels_;
};

AppState AlexNet() {
  const io::ScenarioReadResult read = io::LoadPreset("alexnet-conv1");
  EXPECT_TRUE(read.ok()) << read.error;
  return MakeAppState(read.document->scenario);
}

TEST_F(ShapeFields, TypingThreeHundredForKAppliesOnceOnEnterAndKeepsElevenShown) {
  AppState state = AlexNet();
  ASSERT_EQ(state.scenario.shape.kernel.h, 11);
  Frame(state);
  const std::vector<LayoutItem> layout = Frame(state);
  const LayoutItem* kernel = Find(layout, "control:kernel");
  ASSERT_NE(kernel, nullptr) << "the K field is not on screen";
  const Index generation = state.scenario_generation;
  TypeInto(state, *kernel, "300");
  // Nothing was applied while typing: no K = 3, no K = 30.
  EXPECT_EQ(state.scenario_generation, generation);
  for (int k : kernels_) EXPECT_EQ(k, 11);
  EXPECT_EQ(state.edited.shape.kernel.h, 11);
  PressEnter(state);
  // 300 is applied once, refused, and the views keep the last valid K = 11.
  EXPECT_EQ(state.edited.shape.kernel.h, 300);
  EXPECT_FALSE(state.errors.empty());
  EXPECT_EQ(state.scenario.shape.kernel.h, 11);
  EXPECT_EQ(state.scenario_generation, generation);
}

TEST_F(ShapeFields, ATypedValueAppliesWhenTheFieldLosesFocusAndPlusIsLive) {
  AppState state = MakeAppState(Scenario{});
  Frame(state);
  std::vector<LayoutItem> layout = Frame(state);
  const LayoutItem* kernel = Find(layout, "control:kernel");
  ASSERT_NE(kernel, nullptr);
  TypeInto(state, *kernel, "3");
  EXPECT_EQ(state.scenario.shape.kernel.h, 2);
  // A click elsewhere (the stage) ends the edit: K = 3 now.
  const LayoutItem* stage = Find(layout, "panel:stage");
  ASSERT_NE(stage, nullptr);
  const OffscreenPointer away{stage->x + stage->w / 2, stage->y + stage->h / 2, true};
  Frame(state, away);
  Frame(state, OffscreenPointer{away.x, away.y, false});
  EXPECT_EQ(state.scenario.shape.kernel.h, 3);
  EXPECT_EQ(state.scenario.shape.kernel.w, 3);
  // "+" applies at once.
  layout = Frame(state);
  const LayoutItem* plus = Find(layout, "control:kernel +");
  ASSERT_NE(plus, nullptr);
  Frame(state, OffscreenPointer{plus->x + plus->w / 2, plus->y + plus->h / 2, true});
  Frame(state, OffscreenPointer{plus->x + plus->w / 2, plus->y + plus->h / 2, false});
  EXPECT_EQ(state.scenario.shape.kernel.h, 4);
}

// An Open that fails says so under the toolbar, whatever the SHAPE panel's scroll.
TEST_F(ShapeFields, AFileErrorIsShownUnderTheToolbarAndCanBeDismissed) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::OpenScenarioFile{"/no/such/dir/lesson.json"});
  ApplyIntents(state);
  ASSERT_TRUE(state.status_is_error);
  RgbImage image;
  std::vector<LayoutItem> layout;
  std::string error;
  ASSERT_TRUE(RenderStateToImage(*platform_, state, 1280, 720, &image, &layout, &error)) << error;
  std::filesystem::create_directories(IM2COL_GUI_TEST_OUT);
  io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/file_error_toast.png", EncodePng(image));
  const LayoutItem* toast = Find(layout, "panel:status");
  const LayoutItem* toolbar = Find(layout, "panel:toolbar");
  ASSERT_NE(toast, nullptr) << "the error is not on screen";
  ASSERT_NE(toolbar, nullptr);
  EXPECT_GE(toast->x, 0.0f);
  EXPECT_LE(toast->x + toast->w, 1280.0f);
  EXPECT_GE(toast->y, toolbar->y + toolbar->h - 1.0f);
  EXPECT_LT(toast->y, toolbar->y + toolbar->h + 40.0f);  // right under the toolbar
  EXPECT_GT(toast->h, 20.0f);
  // OK dismisses it.
  Frame(state);
  const std::vector<LayoutItem> live = Frame(state);
  const LayoutItem* ok = Find(live, "control:dismiss-status");
  ASSERT_NE(ok, nullptr);
  Frame(state, OffscreenPointer{ok->x + ok->w / 2, ok->y + ok->h / 2, true});
  Frame(state, OffscreenPointer{ok->x + ok->w / 2, ok->y + ok->h / 2, false});
  EXPECT_FALSE(state.status_is_error);
  EXPECT_EQ(Find(Frame(state), "panel:status"), nullptr);
}

void Apply(AppState& state, Intent intent) {
  PushIntent(state, std::move(intent));
  ApplyIntents(state);
}

TEST(ShapeFieldState, UncheckingNonSquareMakesEveryPairSquare) {
  AppState state = MakeAppState(Scenario{});
  Apply(state, intent::SetNonSquare{true});
  Apply(state, intent::SetShapeField{ShapeField::KernelW, 1});
  Apply(state, intent::SetShapeField{ShapeField::PaddingH, 1});
  Apply(state, intent::SetShapeField{ShapeField::StrideW, 2});
  ASSERT_TRUE(state.errors.empty()) << state.errors.front();
  ASSERT_EQ(state.scenario.shape.kernel, (Pair{2, 1}));
  Apply(state, intent::SetNonSquare{false});
  // What the panel shows (one K) is what is computed: R = C*K*K.
  const Shape& s = state.scenario.shape;
  EXPECT_EQ(s.kernel, (Pair{2, 2}));
  EXPECT_EQ(s.padding, (Pair{1, 1}));
  EXPECT_EQ(s.stride, (Pair{1, 1}));
  EXPECT_EQ(s.dilation, (Pair{1, 1}));
  EXPECT_EQ(s.PatchSize(), 3 * 2 * 2);
  EXPECT_TRUE(state.edited == state.scenario);
}

TEST(ShapeFieldState, AnEditedPresetIsCalledCustomAndSavedSo) {
  AppState state = MakeAppState(Scenario{});
  ASSERT_EQ(state.ui.preset_name, "chapter-4x4x3");
  const std::string preset_title = state.scenario.title;
  Apply(state, intent::SetShapeField{ShapeField::Filters, 2});
  EXPECT_EQ(state.scenario.title, "custom (from " + preset_title + ")");
  const std::string path = ::testing::TempDir() + "/edited-preset.json";
  Apply(state, intent::SaveScenarioFile{path});
  ASSERT_FALSE(state.status_is_error) << state.status;
  const io::ScenarioReadResult saved = io::ReadScenarioFile(path);
  ASSERT_TRUE(saved.ok()) << saved.error;
  EXPECT_EQ(saved.document->scenario.title, "custom (from " + preset_title + ")");
  // Back to the preset's numbers: its own title again.
  Apply(state, intent::SetShapeField{ShapeField::Filters, 1});
  EXPECT_EQ(state.scenario.title, preset_title);
  // A typed cell value is an edit too; a scenario replaced wholesale keeps its own title.
  Apply(state, intent::Classroom{classroom_action::SetCellValue{TensorRole::Input, 0, "7"}});
  ApplyIntents(state);  // the cell edit queues the edited scenario for the next frame
  EXPECT_EQ(state.scenario.title, "custom (from " + preset_title + ")");
  Scenario other;
  other.shape.filters = 3;
  Apply(state, intent::SetScenario{other});
  EXPECT_TRUE(state.scenario == other);
  // Loading another preset takes that preset's title as it is.
  Apply(state, intent::LoadPreset{"padding1"});
  EXPECT_EQ(state.scenario.title.rfind("custom", 0), std::string::npos) << state.scenario.title;
}

}  // namespace
