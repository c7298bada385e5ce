// The classroom features that need the real window: files dropped on it, fullscreen
// on and off (glfwSetWindowMonitor, restoring the old position and size), exports
// drawn offscreen with the window's GL context, and saving settings when they change.
#include "gui/gpu/gl_api.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

#include "gui/state/app_state.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/platform/render_sequence.h"
#include "io/atomic_file.h"
#include "gui/platform/classroom_window.h"
#include "gui/state/session_settings.h"

namespace im2col::gui {
namespace {

void OnDrop(GLFWwindow* window, int count, const char** paths) {
  auto* link = static_cast<WindowLink*>(glfwGetWindowUserPointer(window));
  AppState* state = link != nullptr ? link->state : nullptr;
  if (state == nullptr || count <= 0) return;
  classroom_action::DropFiles drop;
  for (int i = 0; i < count; ++i) {
    if (paths[i] != nullptr) drop.paths.emplace_back(paths[i]);
  }
  PushIntent(*state, intent::Classroom{drop});
}

#ifdef __EMSCRIPTEN__
// The page asks the browser for fullscreen (allowed right after the key or click that
// asked for it); Esc leaves it as in any page, so the state is read back each time.
void ToggleFullscreen(GLFWwindow*, ClassroomUi& room) {
  room.fullscreen = EM_ASM_INT({
    if (document.fullscreenElement) {
      document.exitFullscreen();
      return 0;
    }
    document.documentElement.requestFullscreen().catch(function(e) { console.warn("fullscreen refused", e); });
    return 1;
  }) != 0;
}
#else
void ToggleFullscreen(GLFWwindow* window, ClassroomUi& room) {
  if (!room.fullscreen) {
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (mode == nullptr) return;
    glfwGetWindowPos(window, &room.windowed_x, &room.windowed_y);
    glfwGetWindowSize(window, &room.windowed_width, &room.windowed_height);
    glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    room.fullscreen = true;
  } else {
    glfwSetWindowMonitor(window, nullptr, room.windowed_x, room.windowed_y, room.windowed_width,
                         room.windowed_height, GLFW_DONT_CARE);
    room.fullscreen = false;
  }
}
#endif

void RunExport(Platform& platform, AppState& state) {
  ExportRequest request = state.classroom.request;
  state.classroom.request = ExportRequest{};
  const int width = std::clamp(request.width, kMinRenderSide, kMaxRenderSide);
  const int height = std::clamp(request.height, kMinRenderSide, kMaxRenderSide);
  AppState copy = state;  // exports must not move the live step or queue
  copy.intents.clear();
  copy.playback.playing = false;
  // The picture is the frame: not the Export window that asked for it, nor a dialog.
  copy.classroom.frame_only = true;
  copy.ui.file_action = ShellUi::FileAction::None;
  std::string error, note;
  if (request.kind == ExportRequest::Kind::FramePng) {
    copy.playback.transition = 1.0f;
    RgbImage image;
    if (RenderStateToImage(platform, copy, width, height, &image, nullptr, &error)) {
      error = io::WriteFileAtomically(request.path, EncodePng(image));
    }
  } else {
    const Index last_valid = StepCount(state) - 1;
    const Index first = std::clamp<Index>(request.first_step, 0, last_valid);
    const Index last = std::clamp<Index>(request.last_step, first, last_valid);
    const bool gif = request.kind == ExportRequest::Kind::AnimationGif;
    const Index cap = gif ? MaxGifFrames(width, height) : kMaxAnimationFrames;
    const std::vector<Index> steps = SequenceSteps(first, last, cap);
    if (static_cast<Index>(steps.size()) < last - first + 1) {
      note = " (" + std::to_string(last - first + 1) + " steps: drew " + std::to_string(steps.size()) +
             " evenly spaced frames)";
    }
    error = RenderStepsWith(platform, copy, steps, width, height, gif ? request.path : std::string(),
                            gif ? std::string() : request.path, 40);
  }
  state.status = error.empty() ? "exported " + request.path + note : error;
  state.status_is_error = !error.empty();
}

}  // namespace

void InstallClassroomCallbacks(Platform& platform, AppState& state) {
  GLFWwindow* window = platform.window();
  if (window == nullptr) return;
  platform.link().state = &state;  // the user pointer is the platform's WindowLink
  glfwSetDropCallback(window, OnDrop);
}

void ProcessClassroomRequests(Platform& platform, AppState& state) {
  ClassroomUi& room = state.classroom;
  GLFWwindow* window = platform.window();
  if (room.fullscreen_pending && window != nullptr) {
    room.fullscreen_pending = false;
    ToggleFullscreen(window, room);
  }
  if (window != nullptr && !room.fullscreen && !glfwGetWindowAttrib(window, GLFW_ICONIFIED)) {
    glfwGetWindowSize(window, &room.windowed_width, &room.windowed_height);
    // Remembered per monitor too (a projector and a laptop screen want different sizes).
    const std::string monitor = platform.CurrentMonitorName();
    const auto known = io::MonitorWindowFor(room.settings, monitor);
    if (!monitor.empty() && (!known || known->width != room.windowed_width || known->height != room.windowed_height ||
                             room.settings.monitor_windows.front().monitor != monitor)) {
      io::RememberMonitorWindow(room.settings, monitor, room.windowed_width, room.windowed_height);
    }
  }
  if (room.request.kind != ExportRequest::Kind::None) RunExport(platform, state);
  const std::string error = SaveSettingsIfChanged(state);
  if (!error.empty()) {
    state.status = "settings not saved: " + error;
    state.status_is_error = true;
  }
}

}  // namespace im2col::gui
