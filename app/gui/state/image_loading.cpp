// An image file as the input, decoded off the UI thread: reading, decoding (up to 32
// megapixels) and averaging down to H x W take seconds for a large photo, so the window
// hands them to a worker and keeps showing the last scenario until the values arrive.
#include <optional>
#include <utility>

#include "gui/state/app_state.h"
#include "gui/state/image_input.h"

namespace im2col::gui {
namespace {

void ReportImageError(AppState& state, const std::string& message) {
  state.status = message;
  state.status_is_error = true;
}

// Decoded values fit `shape` when its input tensor has the same dimensions.
bool FitsInput(const Shape& decoded_for, const Shape& shape) {
  return decoded_for.batch == shape.batch && decoded_for.channels == shape.channels &&
         decoded_for.height == shape.height && decoded_for.width == shape.width;
}

void StartDecoding(AppState& state, const std::string& path) {
  state.classroom.image_loading = path;
  const Shape shape = state.scenario.shape;
  state.image_task->Start([path, shape](const std::atomic<bool>& cancelled) {
    DecodedImage out{path, shape, {}, ""};
    out.error = ImageToInputValues(path, shape, &out.values, &cancelled);
    return out;
  });
}

// The decoded values become the input of the shown scenario (core validates and
// computes it like any edit); an error keeps the scenario and says why.
void AdoptImage(AppState& state, DecodedImage&& image) {
  if (!image.error.empty()) {
    ReportImageError(state, image.error);
    return;
  }
  if (!FitsInput(image.shape, state.scenario.shape)) {
    // The shape changed while the image loaded: average it down to the new input.
    StartDecoding(state, image.path);
    return;
  }
  Scenario next = state.scenario;
  next.input.values = std::move(image.values);
  state.status = "input from image " + image.path + " (" + std::to_string(next.shape.height) + " x " +
                 std::to_string(next.shape.width) + (next.shape.channels == 1 ? ", grey)" : ", RGB)");
  state.status_is_error = false;
  PushIntent(state, intent::SetScenario{next, /*is_edit=*/true});
}

}  // namespace

void LoadImageInput(AppState& state, const std::string& path) {
  const Shape& shape = state.scenario.shape;
  if (state.image_task && (shape.channels == 1 || shape.channels == 3)) {
    StartDecoding(state, path);  // supersedes a pending image: its result is dropped
    return;
  }
  // No worker (renders, tests, the browser), or a shape no image fits (said at once).
  if (state.image_task) state.image_task->Cancel();
  state.classroom.image_loading.clear();
  DecodedImage image{path, shape, {}, ""};
  image.error = ImageToInputValues(path, shape, &image.values);
  AdoptImage(state, std::move(image));
}

bool PollImageLoading(AppState& state) {
  ClassroomUi& room = state.classroom;
  if (!state.image_task || room.image_loading.empty()) return false;
  // Busy first: idle before Take means a missing result will never come.
  const bool busy = state.image_task->Busy();
  std::optional<DecodedImage> done = state.image_task->Take();
  if (!done) {
    if (busy) return true;
    ReportImageError(state, room.image_loading + ": could not load the image (the decoder failed)");
    room.image_loading.clear();
    return false;
  }
  room.image_loading.clear();
  AdoptImage(state, std::move(*done));  // may start decoding again for a changed shape
  return IsLoadingImage(state);
}

bool IsLoadingImage(const AppState& state) { return !state.classroom.image_loading.empty(); }

}  // namespace im2col::gui
