// Classroom and export: presentation mode, fullscreen, the shortcuts
// overlay, typed cell values, image input, drag and drop, recent files, settings
// persistence and the export / code windows. The state lives in AppState::classroom;
// changes arrive as ClassroomAction intents (app_state.h's intent::Classroom).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/scenario.h"
#include "io/code_gen.h"
#include "io/matrix_format.h"
#include "io/settings.h"

namespace im2col::gui {

struct AppState;

// Presentation mode multiplies every font size by this (text for the back of the room).
inline constexpr float kPresentationFontBoost = 1.5f;
// An animation export renders at most this many frames (longer ranges are subsampled).
inline constexpr Index kMaxAnimationFrames = 200;
// ... and keeps at most this many bytes of RGBA frames in memory for a GIF.
inline constexpr double kMaxGifFrameBytes = 1024.0 * 1024.0 * 1024.0;

namespace classroom_action {
// A typed value for one cell of an editable tensor (input, weights, bias, grad_output);
// `index` is the row-major offset in that tensor. Bad text keeps the old value.
struct SetCellValue { TensorRole role; Index index; std::string text; };
// Files dropped on the window: scenarios are opened, images become the input.
struct DropFiles { std::vector<std::string> paths; };
// An image file becomes the input (area-averaged to H x W, grey or RGB).
struct LoadImage { std::string path; };
struct TogglePresentation {};
struct ToggleFullscreen {};
struct ToggleShortcuts {};
struct StepFontScale { int direction; };  // +1, -1, or 0 = back to 100%
}  // namespace classroom_action

using ClassroomAction =
    std::variant<classroom_action::SetCellValue, classroom_action::DropFiles, classroom_action::LoadImage,
                 classroom_action::TogglePresentation, classroom_action::ToggleFullscreen,
                 classroom_action::ToggleShortcuts, classroom_action::StepFontScale>;

// The cell-value popup: which cell, the text being typed, why the last text was refused.
struct CellEditorUi {
  bool open_requested = false;
  TensorRole role = TensorRole::Input;
  Index index = 0;
  std::string label;     // "x[0,1,2,3]"
  double old_value = 0;  // shown so the student knows what is kept
  std::string text;
};

// What the Export window asks of the window loop (it needs the GL platform).
struct ExportRequest {
  enum class Kind { None, FramePng, AnimationGif, AnimationPngs } kind = Kind::None;
  std::string path;  // PNG / GIF file, or directory for numbered PNGs
  int width = 1920, height = 1080;
  Index first_step = 0, last_step = 0;
};

struct ClassroomUi {
  bool presentation = false;
  bool fullscreen = false;          // what the window is
  bool fullscreen_pending = false;  // a toggle the window loop still has to do
  bool show_shortcuts = false;
  bool show_export = false;
  bool show_code = false;
  bool show_image = false;
  // Set on the copy an export draws: the frame itself, without the tool windows above
  // (Export, Code, Image, shortcuts, the cell editor).
  bool frame_only = false;
  int windowed_x = 100, windowed_y = 100, windowed_width = 1600, windowed_height = 900;

  CellEditorUi cell_editor;
  std::string cell_message;  // last refusal, shown in the popup and the status line

  // Settings between sessions (recent files live here while the app runs).
  io::Settings settings;
  io::Settings saved_settings;        // what the file holds, to save only on change
  std::string settings_path;          // "" = do not persist (tests, renders)
  std::string scenario_file;          // the file `scenario` was opened from / saved to
  Index scenario_file_generation = -1;  // scenario_generation at that moment
  // The file's scenario while the worker still computes it (it becomes the shown one
  // at a later generation); empty when it was adopted at once.
  std::shared_ptr<const Scenario> scenario_file_pending;
  std::string settings_key;           // cheap summary of what was last compared

  // Export window fields.
  std::string export_png_path = "frame.png";
  int export_width = 1920, export_height = 1080;
  std::string export_animation_path = "animation.gif";
  std::string export_png_dir = "frames";
  int export_first = 0, export_last = 0;  // steps, inclusive
  int export_matrix = 0;                  // MatrixId index
  int export_format = 1;                  // TextFormat index (csv)
  std::string export_matrix_path = "matrix.csv";
  ExportRequest request;

  int code_language = 0;  // io::CodeLanguage index
  std::string code_text;  // generated once per scenario and language (AlexNet is big)
  Index code_generation = -1;
  int code_text_language = -1;
  std::string image_path = "image.png";
  // The image a worker decodes for the input ("" = none): the views keep the shown
  // scenario meanwhile, and the SHAPE panel says "loading image ...".
  std::string image_loading;
};

void ApplyClassroomAction(AppState& state, const ClassroomAction& action);
// Text -> value for a cell: "" when accepted (value in *value), else the rule it breaks.
std::string ParseCellValue(const std::string& text, double* value);
// The displayed name of a cell ("x[0,1,2,3]") and its tensor's dimensions check.
std::string CellLabel(const Shape& shape, TensorRole role, Index index);
// An image file becomes the input: decoded on AppState::image_task when the state has
// one (the window), else here and now. A newer request supersedes a pending one.
void LoadImageInput(AppState& state, const std::string& path);
// Adopts a decoded image once the worker is done (from PollBackgroundWork); true while
// one is still loading.
bool PollImageLoading(AppState& state);
bool IsLoadingImage(const AppState& state);
// Font scale the fonts are built at (presentation mode makes everything larger).
float EffectiveFontScale(const AppState& state);

}  // namespace im2col::gui
