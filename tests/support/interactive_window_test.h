// A HiddenWindowTest that drives the real frame like the window loop does: Step draws
// one 1920x1080 frame (recording where everything is) and applies the intents it
// queued; Click presses and releases the left button on a recorded item; Press taps a key.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "gui/panels/frame.h"
#include "gui/platform/platform.h"
#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "support/hidden_window_test.h"

namespace im2col::testing {

class InteractiveWindowTest : public HiddenWindowTest {
 protected:
  void Step(gui::AppState& state, gui::OffscreenPointer pointer = {}) {
    std::string error;
    ASSERT_TRUE(platform_->EnsureStyle(state.theme, state.font_scale, &error)) << error;
    gui::BeginLayoutRecording();
    platform_->BeginFrame(/*offscreen=*/true, 1920, 1080, pointer);
    gui::DrawAppFrame(state, &platform_->gpu());
    platform_->RenderFrame(gui::ActivePalette().background, 1920, 1080);
    layout_ = gui::EndLayoutRecording();
    gui::ApplyIntents(state);
    state.playback.transition = 1.0f;
  }
  const gui::LayoutItem* Find(const std::string& id) const {
    for (const gui::LayoutItem& item : layout_) {
      if (item.id == id) return &item;
    }
    return nullptr;
  }
  // Press and release the left button on an item, as a person would.
  void Click(gui::AppState& state, const std::string& id) {
    Step(state);
    Step(state);
    const gui::LayoutItem* item = Find(id);
    ASSERT_NE(item, nullptr) << "not on screen: " << id;
    const float x = item->x + item->w * 0.5f, y = item->y + item->h * 0.5f;
    Step(state, {x, y, false});
    Step(state, {x, y, true});
    Step(state, {x, y, false});
    Step(state);
  }
  void Press(gui::AppState& state, int key) {
    ImGui::GetIO().KeysDown[key] = true;
    Step(state);
    ImGui::GetIO().KeysDown[key] = false;
    Step(state);
  }

  std::vector<gui::LayoutItem> layout_;
};

}  // namespace im2col::testing
