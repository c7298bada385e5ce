// KeyTaps: a key pressed and released between two frames stays down for one frame.
#include <gtest/gtest.h>

#include <vector>

#include "gui/platform/key_taps.h"

namespace {

using im2col::gui::KeyTaps;

// One frame of the page: held releases delivered, then NewFrame looks at the keys.
std::vector<int> Frame(KeyTaps& taps) {
  std::vector<int> due = taps.ReleasesDue();
  taps.FrameSawKeys();
  return due;
}

TEST(KeyTaps, ATapBetweenTwoFramesIsReleasedOnlyAfterAFrameSawItDown) {
  KeyTaps taps;
  EXPECT_TRUE(taps.Admit(32, true));
  EXPECT_FALSE(taps.Admit(32, false)) << "no frame has seen the key down yet";
  EXPECT_TRUE(Frame(taps).empty()) << "this frame sees the key down";
  EXPECT_EQ(Frame(taps), std::vector<int>{32}) << "the next one sees it released";
  EXPECT_TRUE(Frame(taps).empty());
}

TEST(KeyTaps, AKeyHeldAcrossAFrameIsReleasedAtOnce) {
  KeyTaps taps;
  EXPECT_TRUE(taps.Admit(83, true));
  EXPECT_TRUE(Frame(taps).empty());
  EXPECT_TRUE(taps.Admit(83, false));
  EXPECT_TRUE(Frame(taps).empty());
}

TEST(KeyTaps, ACtrlTapAroundAnSTapKeepsBothDownForTheSameFrame) {
  KeyTaps taps;
  const int ctrl = 341, s = 83;
  EXPECT_TRUE(taps.Admit(ctrl, true));
  EXPECT_TRUE(taps.Admit(s, true));
  EXPECT_FALSE(taps.Admit(s, false));
  EXPECT_FALSE(taps.Admit(ctrl, false));
  EXPECT_TRUE(Frame(taps).empty());
  EXPECT_EQ(Frame(taps), (std::vector<int>{s, ctrl}));
}

TEST(KeyTaps, PressedAgainBeforeItsFrameTheReleaseWaitsForTheNewPress) {
  KeyTaps taps;
  EXPECT_TRUE(taps.Admit(32, true));
  EXPECT_FALSE(taps.Admit(32, false));
  EXPECT_TRUE(Frame(taps).empty());  // sees the first tap
  EXPECT_TRUE(taps.Admit(32, true));  // the second tap, before the release was delivered
  EXPECT_TRUE(Frame(taps).empty()) << "the first release must not cut the second press short";
  EXPECT_TRUE(taps.Admit(32, false)) << "a frame saw the second press: released at once";
  EXPECT_EQ(Frame(taps), std::vector<int>{32}) << "the first release, late and harmless (the key is up)";
  EXPECT_TRUE(Frame(taps).empty());
}

}  // namespace
