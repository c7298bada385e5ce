// The SHAPE panel: live N C H W F K S P D controls (square or h x w pairs), fills
// and seed, the output-size formula with today's numbers, every matrix size and the
// X_col memory blow-up. Core's message for an invalid edit appears next to the field
// it concerns while every view keeps showing the last valid scenario.
#include <imgui.h>

#include <algorithm>
#include <limits>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/widgets/fonts.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/panels/toolbar.h"
#include "gui/panels/panel_shape.h"
#include "gui/panels/panel_cost.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"
#include "im2col/convolution.h"

namespace im2col::gui {
namespace {

struct FieldRow {
  const char* letter;
  const char* name;  // also the word core's messages start with
  ShapeField first;
  std::optional<ShapeField> second;  // pairs: the width half
  int minimum;
  int soft_max;  // slider range; typed values (Ctrl+click) may go beyond
  const char* help;
};

constexpr size_t kRowCount = 11;
constexpr size_t kOutputPaddingRow = 10;  // shown for op transposed only

const std::array<FieldRow, kRowCount>& Rows() {
  static const std::array<FieldRow, kRowCount> rows = {{
      {"N", "batch", ShapeField::Batch, std::nullopt, 1, 4, "images in the batch"},
      {"C", "channels", ShapeField::Channels, std::nullopt, 1, 8, "channels per image (and per filter)"},
      {"H", "height", ShapeField::Height, std::nullopt, 1, 32, "input height"},
      {"W", "width", ShapeField::Width, std::nullopt, 1, 32, "input width"},
      {"F", "filters", ShapeField::Filters, std::nullopt, 1, 8, "filters = output channels"},
      {"G", "groups", ShapeField::Groups, std::nullopt, 1, 8,
       "groups: C and F split into G independent convolutions (G = C is depthwise)"},
      {"K", "kernel", ShapeField::KernelH, ShapeField::KernelW, 1, 7, "kernel size KH x KW"},
      {"S", "stride", ShapeField::StrideH, ShapeField::StrideW, 1, 4, "step between windows"},
      {"P", "padding", ShapeField::PaddingH, ShapeField::PaddingW, 0, 4, "zeros added on both sides"},
      {"D", "dilation", ShapeField::DilationH, ShapeField::DilationW, 1, 4, "gap between kernel taps"},
      {"OP", "output_padding", ShapeField::OutputPaddingH, ShapeField::OutputPaddingW, 0, 3,
       "transposed only: extra output rows/columns at the bottom/right (smaller than stride or dilation)"},
  }};
  return rows;
}

// Where each of core's messages is shown: under a field row, the fills, or below the fields.
struct ErrorPlacement {
  std::array<std::vector<std::string>, kRowCount> by_row;
  std::vector<std::string> fills;
  std::vector<std::string> general;
};

bool StartsWithWord(const std::string& text, const std::string& word) {
  return text.size() > word.size() && text.compare(0, word.size(), word) == 0 && text[word.size()] == ' ';
}
bool MentionsWord(const std::string& text, const std::string& word) {
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
    const size_t end = at + word.size();
    const bool right = end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
    if (left && right) return true;
  }
  return false;
}

int RowOfField(ShapeField field) {
  for (int i = 0; i < static_cast<int>(Rows().size()); ++i) {
    if (Rows()[i].first == field || Rows()[i].second == field) return i;
  }
  return 0;
}

ErrorPlacement PlaceErrors(const AppState& state) {
  ErrorPlacement placement;
  const int edited_row = state.has_last_edited_field ? RowOfField(state.last_edited_field) : -1;
  for (const std::string& error : state.errors) {
    // The field just edited is where the eye is: show it there when the message names it.
    if (edited_row >= 0 && MentionsWord(error, Rows()[edited_row].name)) {
      placement.by_row[edited_row].push_back(error);
      continue;
    }
    bool placed = false;
    for (size_t i = 0; i < Rows().size() && !placed; ++i) {
      if (StartsWithWord(error, Rows()[i].name)) {
        placement.by_row[i].push_back(error);
        placed = true;
      }
    }
    for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
      if (!placed && StartsWithWord(error, ToString(role) + " values")) {
        placement.fills.push_back(error);
        placed = true;
      }
    }
    if (!placed) placement.general.push_back(error);
  }
  return placement;
}

// [-] slider [+]; returns true with *result set when the user changed the value.
bool IntSlider(const char* id, const char* what, int value, int minimum, int soft_max, float width, int* result) {
  ImGui::PushID(id);
  const float button = ImGui::GetFrameHeight();
  const float inner = ImGui::GetStyle().ItemInnerSpacing.x;
  bool changed = false;
  if (ImGui::Button("-", ImVec2(button, button))) {
    *result = value > std::numeric_limits<int>::min() ? value - 1 : value;
    changed = true;
  }
  ImGui::SameLine(0, inner);
  ImGui::SetNextItemWidth(std::max(button, width - 2.0f * (button + inner)));
  // ImGui's sliders assert on ranges beyond +-INT_MAX/2; typed extremes are clamped for
  // display only (core's Validate still reports the real value).
  constexpr int kSliderLimit = std::numeric_limits<int>::max() / 2;
  int slider = std::clamp(value, -kSliderLimit, kSliderLimit);
  const int low = std::clamp(std::min(minimum, value), -kSliderLimit, kSliderLimit);
  const int high = std::clamp(std::max(soft_max, value), -kSliderLimit, kSliderLimit);
  // Typed values beyond the slider's range stay possible (Ctrl+click); the range follows them.
  // Too narrow for a grab beside the number (large text, small window): a drag field.
  const bool narrow = width - 2.0f * (button + inner) < ImGui::GetFontSize() * 4.5f;
  const bool edited = narrow ? ImGui::DragInt("##drag", &slider, 0.1f, low, high, "%d")
                             : ImGui::SliderInt("##slider", &slider, low, high, "%d");
  if (IsRecordingLayout() && ImGui::IsItemVisible()) {
    RecordItem(std::string("control:") + what, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  }
  // Dragging applies live; a typed value (Ctrl+click) only on Enter or when the field
  // loses focus, so typing 300 does not go through 3 and 30 (each a full recompute).
  // ImGui keeps the typed text meanwhile; the value waits in its state storage.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID pending_id = ImGui::GetID("##typed");
  const ImGuiID has_pending_id = ImGui::GetID("##has-typed");
  const bool typing = ImGui::IsItemActive() && ImGui::GetIO().WantTextInput;
  if (edited && typing) {
    storage->SetInt(pending_id, slider);
    storage->SetBool(has_pending_id, true);
  } else if (edited) {
    *result = slider;
    changed = true;
  }
  if (ImGui::IsItemDeactivated() && storage->GetBool(has_pending_id)) {
    storage->SetBool(has_pending_id, false);
    if (!ImGui::IsKeyDown(ImGui::GetKeyIndex(ImGuiKey_Escape))) {  // Escape: keep the old value
      *result = storage->GetInt(pending_id);
      changed = *result != value;
    }
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: drag, or Ctrl+click to type any value (Enter applies)", what);
  ImGui::SameLine(0, inner);
  if (ImGui::Button("+", ImVec2(button, button))) {
    *result = value < std::numeric_limits<int>::max() ? value + 1 : value;
    changed = true;
  }
  if (IsRecordingLayout() && ImGui::IsItemVisible()) {  // not when scrolled out of the panel
    RecordItem(std::string("control:") + what + " +", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  }
  ImGui::PopID();
  return changed;
}

// The operator: conv, or its transpose (the conv's backward-data path run forward).
void DrawOpRow(AppState& state, float label_width, bool stacked) {
  const Op op = state.edited.shape.op;
  const float row_x = ImGui::GetCursorPosX();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("op");
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("conv: Y = W_row \u00b7 X_col.  transposed: x_col = W_row\u1d40 \u00b7 x_mat, then col2im");
  }
  if (stacked) ImGui::SetCursorPosX(row_x + ImGui::CalcTextSize("w").x + ImGui::GetStyle().ItemSpacing.x);
  else ImGui::SameLine(row_x + label_width);
  ImGui::SetNextItemWidth(-1);
  const char* names[] = {"conv", "transposed"};
  if (ImGui::BeginCombo("##op", names[op == Op::Transposed ? 1 : 0])) {
    for (Op option : {Op::Conv, Op::Transposed}) {
      if (ImGui::Selectable(names[option == Op::Transposed ? 1 : 0], option == op)) PushIntent(state, intent::SetOp{option});
    }
    ImGui::EndCombo();
  }
  if (IsRecordingLayout()) RecordItem("control:op", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (op == Op::Transposed) {
    bool show = state.show_equivalence;
    if (ImGui::Checkbox("= the conv's dX?", &show)) PushIntent(state, intent::SetShowEquivalence{show});
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("show, under the output, the matching conv's dX (same weights, dY = this input) and the "
                        "zero-insertion road (S\u22121 zeros between pixels, border D(K\u22121)\u2212P, flipped kernel), "
                        "each compared with the output cell by cell");
    }
  }
}

void DrawFieldRows(AppState& state, const ErrorPlacement& errors) {
  const Shape& shape = state.edited.shape;
  const ImGuiStyle& style = ImGui::GetStyle();
  float label_width = 0.0f;
  for (const FieldRow& row : Rows()) {
    label_width = std::max(label_width, ImGui::CalcTextSize((std::string(row.letter) + "  " + row.name).c_str()).x);
  }
  label_width += style.ItemSpacing.x;
  // A narrow panel (large text): each label on its own line, its controls under it.
  const float least_controls = 3.0f * ImGui::GetFrameHeight() + 2.0f * style.ItemInnerSpacing.x + ImGui::GetFontSize() * 2.0f;
  const bool stacked = ImGui::GetContentRegionAvail().x < label_width + least_controls;
  DrawOpRow(state, label_width, stacked);
  for (size_t i = 0; i < Rows().size(); ++i) {
    const FieldRow& row = Rows()[i];
    if (i == kOutputPaddingRow && shape.op != Op::Transposed && errors.by_row[i].empty()) continue;
    ImGui::PushID(static_cast<int>(i));
    const float row_x = ImGui::GetCursorPosX();
    const bool pair = row.second && state.non_square;
    const float controls_x = stacked ? row_x + ImGui::CalcTextSize("w").x + style.ItemSpacing.x : row_x + label_width;
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%s  %s", row.letter, row.name);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", row.help);
    if (!stacked) {
      ImGui::SameLine(controls_x);
    } else if (pair) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextDisabled("h");
      ImGui::SameLine(controls_x);
    } else {
      ImGui::SetCursorPosX(controls_x);
    }
    const float width = ImGui::GetContentRegionAvail().x;
    int value = 0;
    if (pair) {
      // Height and width side by side when both fit, else stacked (the second
      // under the first, marked "w").
      const float half = (width - style.ItemSpacing.x) * 0.5f;
      const bool side_by_side = half >= 2.0f * ImGui::GetFrameHeight() + ImGui::GetFontSize() * 2.5f;
      if (IntSlider("h", ToString(row.first), GetShapeField(shape, row.first), row.minimum, row.soft_max,
                    side_by_side ? half : width, &value)) {
        PushIntent(state, intent::SetShapeField{row.first, value});
      }
      if (side_by_side) {
        ImGui::SameLine();
      } else {
        const float w_label = ImGui::CalcTextSize("w").x;
        ImGui::SetCursorPosX(controls_x - w_label - style.ItemSpacing.x);
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("w");
        ImGui::SameLine(controls_x);
      }
      if (IntSlider("w", ToString(*row.second), GetShapeField(shape, *row.second), row.minimum, row.soft_max,
                    side_by_side ? half : width, &value)) {
        PushIntent(state, intent::SetShapeField{*row.second, value});
      }
    } else if (IntSlider("v", row.name, GetShapeField(shape, row.first), row.minimum, row.soft_max, width, &value)) {
      PushIntent(state, intent::SetShapeField{row.first, value});
    }
    for (const std::string& error : errors.by_row[i]) ErrorBox(error);
    ImGui::PopID();
  }
  bool non_square = state.non_square;
  if (ImGui::Checkbox("non-square  h \u00d7 w", &non_square)) {
    PushIntent(state, intent::SetNonSquare{non_square});
  }
}

const char* FillName(Fill fill) {
  switch (fill) {
    case Fill::Ramp: return "ramp 1, 2, 3";
    case Fill::Random: return "random -4..4";
    case Fill::Ones: return "ones";
    case Fill::Zeros: return "zeros";
  }
  return "ramp";
}

void DrawFills(AppState& state, const ErrorPlacement& errors) {
  SectionLabel("Values");
  struct RoleRow {
    TensorRole role;
    const char* label;
  };
  const RoleRow roles[] = {{TensorRole::Input, "input x"},
                           {TensorRole::Weights, "weights W"},
                           {TensorRole::Bias, "bias b"},
                           {TensorRole::GradOutput, "grad dY"}};
  const float label_width = ImGui::CalcTextSize("weights W").x + ImGui::GetStyle().ItemSpacing.x * 2.0f;
  bool any_random = false;
  const float row_x = ImGui::GetCursorPosX();
  for (const RoleRow& row : roles) {
    const TensorSource& source = state.edited.Source(row.role);
    any_random = any_random || (!source.HasValues() && source.fill == Fill::Random);
    ImGui::PushID(static_cast<int>(row.role));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(row.label);
    ImGui::SameLine(row_x + label_width);
    ImGui::SetNextItemWidth(-1);
    const char* preview = source.HasValues() ? "values from file" : FillName(source.fill);
    if (ImGui::BeginCombo("##fill", preview)) {
      for (Fill fill : {Fill::Ramp, Fill::Random, Fill::Ones, Fill::Zeros}) {
        if (ImGui::Selectable(FillName(fill), !source.HasValues() && fill == source.fill)) {
          PushIntent(state, intent::SetFill{row.role, fill});
        }
      }
      ImGui::EndCombo();
    }
    ImGui::PopID();
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("seed");
  ImGui::SameLine(row_x + label_width);
  ImGui::SetNextItemWidth(-1);
  ImGui::BeginDisabled(!any_random);
  std::uint64_t seed = state.edited.seed;
  const std::uint64_t one = 1;
  if (ImGui::InputScalar("##seed", ImGuiDataType_U64, &seed, &one, nullptr, "%llu")) {
    PushIntent(state, intent::SetSeed{seed});
  }
  ImGui::EndDisabled();
  for (const std::string& error : errors.fills) ErrorBox(error);
}

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (unsigned char ch : text) count += (ch & 0xC0) != 0x80;
  return count;
}

// A formula in the mono font: one line when it fits the panel, else broken between
// terms with the continuation lines indented under the first term (never mid-term).
void PackedFormula(const std::string& head, const std::vector<std::string>& terms) {
  const float width = ImGui::GetContentRegionAvail().x;
  auto fits = [&](const std::string& text) { return ImGui::CalcTextSize(text.c_str()).x <= width; };
  std::string line = head;
  for (const std::string& term : terms) line += term;
  if (fits(line)) {
    ImGui::TextUnformatted(line.c_str());
    return;
  }
  const std::string indent(CodePoints(head), ' ');
  line = head;
  bool has_term = false;
  for (const std::string& term : terms) {
    if (has_term && !fits(line + term)) {
      ImGui::TextUnformatted(line.c_str());
      line = indent;
    }
    line += term;
    has_term = true;
  }
  ImGui::TextUnformatted(line.c_str());
}

void OutputSizeFormula(const char* out, const char* in, int size, int pad, int k, int d, int s, int result) {
  const std::string head = std::string(out) + " = ";
  PackedFormula(head, {"\u230a(" + std::string(in), "+2P", "\u2212D(K\u22121)", "\u22121)", "/S\u230b", "+1"});
  PackedFormula("   = ", {"\u230a(" + std::to_string(size), "+2\u00b7" + std::to_string(pad),
                         "\u2212" + std::to_string(d) + "\u00b7(" + std::to_string(k) + "\u22121)", "\u22121)",
                         "/" + std::to_string(s) + "\u230b", "+1"});
  ImGui::Text("   = %d", result);
}

// Transposed: HO = (H−1)·S − 2P + D(K−1) + OP + 1.
void TransposedSizeFormula(const char* out, const char* in, int size, int pad, int k, int d, int s, int op, int result) {
  PackedFormula(std::string(out) + " = ", {"(" + std::string(in) + "\u22121)S", "\u22122P", "+D(K\u22121)", "+OP", "+1"});
  PackedFormula("   = ", {"(" + std::to_string(size) + "\u22121)\u00b7" + std::to_string(s), "\u22122\u00b7" + std::to_string(pad),
                         "+" + std::to_string(d) + "\u00b7(" + std::to_string(k) + "\u22121)", "+" + std::to_string(op), "+1"});
  ImGui::Text("   = %d", result);
}

void DrawFormulas(const AppState& state) {
  const Shape& s = state.scenario.shape;
  SectionLabel(s.op == Op::Transposed ? "Output size (transposed)" : "Output size");
  ImGui::PushFont(SmallNumberFont());
  const bool same_numbers = s.width == s.height && s.kernel.w == s.kernel.h && s.stride.w == s.stride.h &&
                            s.padding.w == s.padding.h && s.dilation.w == s.dilation.h &&
                            s.output_padding.w == s.output_padding.h;
  if (s.op == Op::Transposed) {
    TransposedSizeFormula("HO", "H", s.height, s.padding.h, s.kernel.h, s.dilation.h, s.stride.h, s.output_padding.h,
                          s.OutHeight());
  } else {
    OutputSizeFormula("HO", "H", s.height, s.padding.h, s.kernel.h, s.dilation.h, s.stride.h, s.OutHeight());
  }
  if (same_numbers) {
    ImGui::Text("WO = %d  (same numbers)", s.OutWidth());
  } else if (s.op == Op::Transposed) {
    TransposedSizeFormula("WO", "W", s.width, s.padding.w, s.kernel.w, s.dilation.w, s.stride.w, s.output_padding.w,
                          s.OutWidth());
  } else {
    OutputSizeFormula("WO", "W", s.width, s.padding.w, s.kernel.w, s.dilation.w, s.stride.w, s.OutWidth());
  }
  ImGui::PopFont();
  for (const std::string& note : state.notes) WrappedText("Note: " + note, ActivePalette().text_muted);
}

// "X_col   12 × 9   864 B": name, size and (optionally) memory in aligned columns.
void SizeLine(const char* name, const std::string& size, const std::string& bytes = {}) {
  const float x = ImGui::GetCursorPosX();
  const float column = ImGui::CalcTextSize("output_").x;
  ImGui::TextUnformatted(name);
  ImGui::SameLine(x + column);
  ImGui::TextUnformatted(size.c_str());
  if (!bytes.empty()) {
    const float right = x + ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(bytes.c_str()).x;
    SameLineIfFits(ImGui::CalcTextSize(bytes.c_str()).x);
    if (ImGui::GetCursorPosX() < right) ImGui::SetCursorPosX(right);
    ImGui::TextDisabled("%s", bytes.c_str());
  }
}

std::string Dims(Index rows, Index columns) { return std::to_string(rows) + " \u00d7 " + std::to_string(columns); }

// Groups: W_row is block-diagonal and the product is G smaller GEMMs; G = C is depthwise.
void DrawGroupsLine(const Shape& s) {
  if (s.groups <= 1) return;
  const Index rows = s.WeightRows() / s.groups, inner = s.PatchSize() / s.groups;
  const bool depthwise = s.groups == s.channels;
  std::string text = (depthwise ? "Depthwise (G = C = " + std::to_string(s.groups) + "): "
                                : "G = " + std::to_string(s.groups) + " groups: ") +
                     "W_row is block-diagonal (other groups' weights are structural zeros); the product is " +
                     std::to_string(s.groups) + " GEMMs of " + std::to_string(rows) + " \u00d7 " + std::to_string(inner) +
                     " \u00b7 " + std::to_string(inner) + " \u00d7 " + std::to_string(s.ColumnCount()) + ".";
  if (depthwise) text += " Each channel is filtered on its own: tiny GEMMs, little reuse per byte moved.";
  WrappedText(text, ActivePalette().text);
}

// Every matrix size, and what X_col costs next to the input it copies.
void DrawSizes(const AppState& state) {
  const Shape& s = state.scenario.shape;
  const bool rows_layout = state.scenario.layout == Layout::Rows;
  const Index r = s.PatchSize(), l = s.PatchCount(), nl = s.ColumnCount();
  const Index x_col_bytes = XColBytes(s), input_bytes = InputBytes(s);
  SectionLabel("Sizes (8-byte values)");
  const bool transposed = s.op == Op::Transposed;
  const std::string out_dims = std::to_string(s.batch) + "\u00d7" + std::to_string(s.filters) + "\u00d7" +
                               std::to_string(s.OutHeight()) + "\u00d7" + std::to_string(s.OutWidth());
  const std::string in_dims = std::to_string(s.batch) + "\u00d7" + std::to_string(s.channels) + "\u00d7" +
                              std::to_string(s.height) + "\u00d7" + std::to_string(s.width);
  ImGui::PushFont(NumberFont());
  ImGui::PushTextWrapPos(0.0f);
  if (transposed) {
    ImGui::Text("L = H\u00b7W = %d\u00b7%d = %lld", s.height, s.width, static_cast<long long>(l));
    ImGui::Text("R = F\u00b7KH\u00b7KW = %d\u00b7%d\u00b7%d = %lld", s.filters, s.kernel.h, s.kernel.w,
                static_cast<long long>(r));
  } else {
    ImGui::Text("L = HO\u00b7WO = %d\u00b7%d = %lld", s.OutHeight(), s.OutWidth(), static_cast<long long>(l));
    ImGui::Text("R = C\u00b7KH\u00b7KW = %d\u00b7%d\u00b7%d = %lld", s.channels, s.kernel.h, s.kernel.w,
                static_cast<long long>(r));
  }
  ImGui::PopTextWrapPos();
  SizeLine("input", in_dims, FormatBytes(input_bytes));
  if (transposed) SizeLine(rows_layout ? "x_mat\u1d40" : "x_mat", rows_layout ? Dims(nl, s.channels) : Dims(s.channels, nl));
  SizeLine(rows_layout ? "X_row" : "X_col", rows_layout ? Dims(nl, r) : Dims(r, nl), FormatBytes(x_col_bytes));
  SizeLine("W_row", Dims(s.WeightRows(), r));
  if (!transposed) SizeLine(rows_layout ? "Y\u1d40" : "Y", rows_layout ? Dims(nl, s.filters) : Dims(s.filters, nl));
  SizeLine("output", out_dims);
  ImGui::PopFont();
  DrawGroupsLine(s);
  const double blow_up = input_bytes > 0 ? static_cast<double>(x_col_bytes) / static_cast<double>(input_bytes) : 0.0;
  ImGui::PushFont(TitleFont());
  ImGui::PushTextWrapPos(0.0f);  // a narrow panel wraps it rather than cutting "the input"
  ImGui::Text("%s = \u00d7%.3g the input", rows_layout ? "X_row" : "X_col", blow_up);
  ImGui::PopTextWrapPos();
  if (IsRecordingLayout()) RecordItem("text:x-col-blow-up", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ImGui::PopFont();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("memory blow-up: each input value is copied once per window covering it");
}

// The worker is computing the edited scenario; the views still show the last one.
void DrawComputing(const AppState& state) {
  const double seconds = state.compute_task ? state.compute_task->SecondsSinceStart() : 0.0;
  const Shape& s = state.computing.shape;
  char label[96];
  std::snprintf(label, sizeof label, "computing X_col %lld x %lld... %.2f s", static_cast<long long>(s.PatchSize()),
                static_cast<long long>(s.ColumnCount()), seconds);
  ImGui::ProgressBar(static_cast<float>(std::fmod(seconds * 2.0, 1.0)), ImVec2(-1, 0), label);
}

// The worker decodes an image for the input; the views still show the last scenario.
// The file name goes on its own (wrapped) line: a progress bar's label is cut to its width.
void DrawLoadingImage(const AppState& state) {
  const double seconds = state.image_task ? state.image_task->SecondsSinceStart() : 0.0;
  const std::string name = std::filesystem::path(state.classroom.image_loading).filename().string();
  WrappedText("loading image " + name + "...", ActivePalette().text);
  if (IsRecordingLayout()) RecordItem("text:loading-image", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  char label[32];
  std::snprintf(label, sizeof label, "%.2f s", seconds);
  ImGui::ProgressBar(static_cast<float>(std::fmod(seconds * 2.0, 1.0)), ImVec2(-1, 0), label);
}

}  // namespace

void DrawShapePanel(AppState& state) {
  PanelTitle("SHAPE");
  if (IsShortWindow()) {  // the toolbar has no room for them at this text size
    DrawViewToggles(state);
    ImGui::Separator();
  }
  if (IsComputing(state)) DrawComputing(state);
  if (IsLoadingImage(state)) DrawLoadingImage(state);
  if (!state.status.empty()) {
    if (state.status_is_error) {
      ErrorBox(state.status);
    } else {
      WrappedText(state.status, ActivePalette().text_muted);
    }
  }
  const ErrorPlacement errors = PlaceErrors(state);
  DrawFieldRows(state, errors);
  for (const std::string& error : errors.general) ErrorBox(error);
  if (!state.errors.empty()) {
    WrappedText("The views keep showing the last valid shape until this is fixed.", ActivePalette().text_muted);
  }
  // What the shape implies first; how the tensors are filled last (changed less often).
  DrawFormulas(state);
  DrawSizes(state);
  DrawCostSection(state);
  DrawFills(state, errors);
}

}  // namespace im2col::gui
