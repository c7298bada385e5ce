// Key taps shorter than the gap between two frames. Dear ImGui 1.86 reads the keys'
// state once a frame, so a key pressed and released between two frames is never seen.
// A page can leave such gaps: headless Chromium runs no animation frame for 100 ms and
// more while the canvas does not change (a frame that draws nothing, window_present.h).
// KeyTaps holds back the release of a key no frame has seen down until one has.
#pragma once

#include <algorithm>
#include <iterator>
#include <set>
#include <vector>

namespace im2col::gui {

class KeyTaps {
 public:
  // A key event: true when it goes to ImGui now, false when it is a release held back.
  bool Admit(int key, bool press) {
    if (press) {
      down_unseen_.insert(key);
      return true;
    }
    if (down_unseen_.count(key) == 0) return true;
    held_.push_back(key);
    return false;
  }
  // Before a frame's NewFrame: the held releases whose key a frame has seen down by now
  // (to hand to ImGui, in order); they are no longer held.
  std::vector<int> ReleasesDue() {
    std::vector<int> due;
    auto seen = [&](int key) { return down_unseen_.count(key) == 0; };
    std::copy_if(held_.begin(), held_.end(), std::back_inserter(due), seen);
    held_.erase(std::remove_if(held_.begin(), held_.end(), seen), held_.end());
    return due;
  }
  // After NewFrame: that frame saw every key that is down.
  void FrameSawKeys() { down_unseen_.clear(); }

 private:
  std::set<int> down_unseen_;  // pressed since the last frame
  std::vector<int> held_;      // releases of such keys, waiting for a frame
};

}  // namespace im2col::gui
