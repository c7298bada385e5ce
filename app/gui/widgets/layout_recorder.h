// Where things were drawn, for `render --layout-json` and the screenshot tests.
// Ids (docs/cli.md, render --layout-json): input[n,c,y,x], x_col[r,j], w_row[f,r], y_mat[f,j],
// output[n,f,y,x], grad_input[n,c,y,x] (matrix indices AS DISPLAYED), panel:<name>.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace im2col::gui {

struct LayoutItem {
  std::string id;
  float x, y, w, h;  // framebuffer pixels, origin top-left
};

// Records a rectangle while a recording is active; otherwise does nothing.
void RecordItem(const std::string& id, ImVec2 min, ImVec2 max);
// True while recording: callers may skip building id strings when false.
bool IsRecordingLayout();

// Starts a fresh recording (drops anything recorded before).
void BeginLayoutRecording();
// Stops recording and returns the items in the order they were recorded. When an
// id is recorded twice in one frame, the last rectangle wins.
std::vector<LayoutItem> EndLayoutRecording();

// The window's live recording, for marks drawn over what the frame drew: at the start
// of a frame the items recorded during the previous one become LastFrameLayout();
// `keep` says whether this frame records (off: nothing is kept, nothing costs).
void BeginLiveLayoutFrame(bool keep);
const std::vector<LayoutItem>& LastFrameLayout();

// {"width": W, "height": H, "items": [{"id":..,"x":..,"y":..,"w":..,"h":..}, ...]}
std::string LayoutJson(int width, int height, const std::vector<LayoutItem>& items);

}  // namespace im2col::gui
