// What drawing the UI needs besides AppState and the GL objects, kept per Dear ImGui
// context (instead of function statics): the fonts of the context's atlas, the palettes
// and the theme applied to its style, the layout recording of a render, and the key
// codes the platform delivers. The platform makes one with each ImGui context and
// attaches it (ImGuiIO::UserData), so it lives exactly as long as that context.
//
// AppState::theme is the one source of truth for the theme: the platform applies it
// between frames (Platform::EnsureStyle -> ApplyTheme), and `theme` here only records
// what the ImGui style currently shows.
#pragma once

#include <imgui.h>

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "gui/state/theme_id.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {

// The fonts of the current atlas. Written only by BuildFonts (between frames).
struct FontSet {
  ImFont* body = nullptr;
  ImFont* number = nullptr;
  ImFont* small_number = nullptr;
  ImFont* title = nullptr;
  float scale = 0.0f;
};

// A `render --layout-json` recording: named rectangles, kept only while a render asks.
struct LayoutRecording {
  bool active = false;
  std::vector<LayoutItem> items;
  std::unordered_map<std::string, size_t> index_of;  // id -> position in items
  // The window's own use (practice marks, tour outlines): this frame's items and the
  // last frame's, kept only while something on screen needs them.
  bool keep = false;
  std::vector<LayoutItem> live, last;
  std::unordered_map<std::string, size_t> live_index;
};

// Keys the panels react to beyond ImGui's own named keys (1.86 names only navigation
// and editing keys). The platform says which of its key codes each one is.
enum class AppKey { F1, F5, F11, Escape, Equal, KeypadAdd, Minus, KeypadSubtract, Digit0, Keypad0, O, S, F, Z, Count };

struct UiContext {
  UiContext();
  FontSet fonts;
  Palette light, dark, high_contrast;  // immutable after construction
  ThemeId theme = ThemeId::Light;      // the theme ImGui's style shows (see above)
  LayoutRecording layout;
  // io.KeysDown index of each AppKey; -1: this platform has no such key.
  std::array<int, static_cast<size_t>(AppKey::Count)> key_codes;
};

// The UiContext of the current ImGui context. A context nobody attached one to (a bare
// headless test context) shares one built-in default, so drawing code never checks.
UiContext& CurrentUi();
// Attaches `ui` to the current ImGui context (null detaches).
void AttachUiContext(UiContext* ui);

// True once in the frame the key went down (no repeat), false for an unmapped key.
bool AppKeyPressed(AppKey key);

}  // namespace im2col::gui
