// The shell's panels around the stage, one file each (UI.md "Layout"). Each draws
// into the current ImGui window or child, reads `state`, and changes it only by
// pushing intents (text fields of ShellUi excepted).
#pragma once

namespace im2col::gui {

struct AppState;

void DrawToolbar(AppState& state);      // toolbar.cpp: presets, files, layout/order, col2im mode, font, theme
void DrawViewToggles(AppState& state); // toolbar.cpp: layout, order, col2im (in the shape panel when short)
void DrawFileDialog(AppState& state);   // toolbar.cpp: the Open / Save / Export path popup
void DrawShapePanel(AppState& state);   // panel_shape.cpp: N C H W F K S P D, fills, formulas, sizes, errors
void DrawCostSection(AppState& state); // panel_cost.cpp: FLOPs, X_col memory, measured loops vs im2col
void DrawStepPanel(AppState& state);    // panel_step.cpp: explanation, dot product, hover inspector, legend
void DrawPlaybackBar(AppState& state);  // panel_playback.cpp: transport, speed, phases, scrubber
void HandleShortcuts(AppState& state);  // panel_playback.cpp: Space, Left/Right, Home/End, 1-8

}  // namespace im2col::gui
