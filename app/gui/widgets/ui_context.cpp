#include "gui/widgets/ui_context.h"

namespace im2col::gui {

UiContext::UiContext() : light(MakeLightPalette()), dark(MakeDarkPalette()), high_contrast(MakeHighContrastPalette()) {
  key_codes.fill(-1);
}

UiContext& CurrentUi() {
  if (ImGui::GetCurrentContext() != nullptr) {
    if (void* attached = ImGui::GetIO().UserData) return *static_cast<UiContext*>(attached);
  }
  // Only for ImGui contexts without a platform (headless tests): their fonts are
  // ImGui's default and their layout recordings short-lived, so sharing one is safe.
  static UiContext unattached;
  return unattached;
}

void AttachUiContext(UiContext* ui) {
  if (ImGui::GetCurrentContext() != nullptr) ImGui::GetIO().UserData = ui;
}

bool AppKeyPressed(AppKey key) {
  const int code = CurrentUi().key_codes[static_cast<size_t>(key)];
  return code >= 0 && ImGui::IsKeyPressed(code, false);
}

}  // namespace im2col::gui
