// THIS STEP names pixels as the step labels do: tensor[n,c,y,x] with all four indices, and
// col2im's running sum names the image it adds into (dX, or the transposed conv's output).
#include <gtest/gtest.h>

#include "gui/panels/panel_step.h"

namespace {

using namespace im2col;

TEST(StepNames, PixelsHaveFourIndicesAtBatchOne) {
  EXPECT_EQ(gui::PixelName("x", Pixel{0, 1, 1, 2}), "x[0,1,1,2]");
  EXPECT_EQ(gui::PixelName("dX", Pixel{1, 0, 3, 0}), "dX[1,0,3,0]");
}

TEST(StepNames, RunningSumNamesTheImageCol2imAddsInto) {
  Shape conv;
  EXPECT_EQ(gui::Col2ImTargetName(conv, Pixel{0, 2, 1, 1}), "dX[0,2,1,1]");
  Shape transposed;
  transposed.op = Op::Transposed;
  EXPECT_EQ(gui::Col2ImTargetName(transposed, Pixel{0, 0, 4, 5}), "out[0,0,4,5]");
}

}  // namespace
