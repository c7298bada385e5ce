// Applying classroom intents: typed cell values, dropped files, image input, the
// presentation / fullscreen / overlay toggles and font steps. Scenario changes go
// back through intent::SetScenario, so core validates and recomputes as for any edit.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "gui/state/app_state.h"

namespace im2col::gui {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

bool IsImagePath(const std::string& path) {
  const std::string p = Lower(path);
  for (const char* ext : {".png", ".jpg", ".jpeg", ".bmp", ".tga"}) {
    const std::string e = ext;
    if (p.size() >= e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

void Refuse(AppState& state, const std::string& message) {
  state.classroom.cell_message = message;
  state.status = message;
  state.status_is_error = true;
}

// The scenario the views show, with `role`'s values made explicit (the fill written out).
Scenario WithExplicitValues(const AppState& state, TensorRole role) {
  Scenario next = state.scenario;
  TensorSource& source = next.Source(role);
  if (!source.HasValues()) source.values = GenerateValues(state.scenario, role);
  return next;
}

void SetCellValue(AppState& state, const classroom_action::SetCellValue& a) {
  const Shape& shape = state.scenario.shape;
  const std::string label = CellLabel(shape, a.role, a.index);
  if (a.index < 0 || a.index >= TensorSize(shape, a.role)) {
    Refuse(state, label + ": no such cell in this scenario; nothing changed");
    return;
  }
  Scenario next = WithExplicitValues(state, a.role);
  std::vector<double>& values = next.Source(a.role).values;
  const double old_value = values[static_cast<size_t>(a.index)];
  double value = 0;
  const std::string rule = ParseCellValue(a.text, &value);
  if (!rule.empty()) {
    char old_text[64];
    std::snprintf(old_text, sizeof old_text, "%.17g", old_value);
    Refuse(state, label + ": '" + a.text + "' refused: " + rule + "; kept " + old_text);
    return;
  }
  values[static_cast<size_t>(a.index)] = value;
  state.classroom.cell_message.clear();
  state.status = label + " = " + a.text;
  state.status_is_error = false;
  PushIntent(state, intent::SetScenario{next, /*is_edit=*/true});
}

struct ClassroomApplier {
  AppState& state;
  void operator()(const classroom_action::SetCellValue& a) { SetCellValue(state, a); }
  void operator()(const classroom_action::DropFiles& a) {
    for (const std::string& path : a.paths) {
      if (IsImagePath(path)) LoadImageInput(state, path);
      else if (io::IsTourFile(path)) PushIntent(state, intent::Tour{tour_action::Open{path}});
      else PushIntent(state, intent::OpenScenarioFile{path});
    }
  }
  void operator()(const classroom_action::LoadImage& a) { LoadImageInput(state, a.path); }
  void operator()(const classroom_action::TogglePresentation&) {
    state.classroom.presentation = !state.classroom.presentation;
  }
  void operator()(const classroom_action::ToggleFullscreen&) { state.classroom.fullscreen_pending = true; }
  void operator()(const classroom_action::ToggleShortcuts&) {
    state.classroom.show_shortcuts = !state.classroom.show_shortcuts;
  }
  void operator()(const classroom_action::StepFontScale& a) {
    const float next = a.direction == 0 ? 1.0f : std::round((state.font_scale + 0.1f * float(a.direction)) * 10) / 10;
    PushIntent(state, intent::SetFontScale{next});
  }
};

}  // namespace

std::string ParseCellValue(const std::string& text, double* value) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "a value is required (the field is empty)";
  const size_t end = text.find_last_not_of(" \t");
  const std::string trimmed = text.substr(begin, end - begin + 1);
  const std::string lower = Lower(trimmed);
  if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) {
    return "the value must be a finite number (no nan or inf)";
  }
  errno = 0;
  char* stop = nullptr;
  const double parsed = std::strtod(trimmed.c_str(), &stop);
  if (stop == trimmed.c_str() || *stop != '\0') return "not a number (type e.g. 3, -0.5 or 1e3)";
  if (errno == ERANGE && std::fabs(parsed) > 1.0) {
    return "too large: the magnitude must be at most 1e12";
  }
  if (!std::isfinite(parsed)) return "the value must be a finite number (no nan or inf)";
  if (std::fabs(parsed) > kMaxAbsValue) return "too large: the magnitude must be at most 1e12";
  *value = parsed == 0.0 ? 0.0 : parsed;  // no "-0" in the cells
  return "";
}

std::string CellLabel(const Shape& shape, TensorRole role, Index index) {
  const Tensor4 dims = EmptyTensor(shape, role);
  const char* name = role == TensorRole::Input     ? "x"
                     : role == TensorRole::Weights ? "W"
                     : role == TensorRole::Bias    ? "b"
                                                   : "dY";
  if (index < 0 || index >= dims.Size()) return std::string(name) + "[?]";
  if (role == TensorRole::Bias) return std::string(name) + "[" + std::to_string(index) + "]";
  Index rest = index;
  const Index x = rest % dims.w;
  rest /= dims.w;
  const Index y = rest % dims.h;
  rest /= dims.h;
  const Index c = rest % dims.c;
  const Index n = rest / dims.c;
  return std::string(name) + "[" + std::to_string(n) + "," + std::to_string(c) + "," + std::to_string(y) + "," +
         std::to_string(x) + "]";
}

float EffectiveFontScale(const AppState& state) {
  const float scale = state.classroom.presentation ? state.font_scale * kPresentationFontBoost : state.font_scale;
  return std::clamp(scale, 0.5f, 3.0f);
}

void ApplyClassroomAction(AppState& state, const ClassroomAction& action) {
  std::visit(ClassroomApplier{state}, action);
}

}  // namespace im2col::gui
