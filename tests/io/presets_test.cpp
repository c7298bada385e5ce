// Presets: every shipped file loads, has a title and description, is stored in the
// canonical form the writer produces, and gives the chapter's numbers.
#include "io/presets.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "im2col/convolution.h"
#include "io/assets.h"

namespace im2col::io {
namespace {

Scenario Load(const std::string& name) {
  const auto result = LoadPreset(name);
  EXPECT_TRUE(result.ok()) << result.error;
  return result.ok() ? result.document->scenario : Scenario{};
}

TEST(Presets, ListsTheRequiredPresetsInTeachingOrder) {
  const auto presets = ListPresets();
  std::vector<std::string> names;
  for (const auto& p : presets) {
    names.push_back(p.name);
    EXPECT_FALSE(p.title.empty()) << p.name;
    EXPECT_FALSE(p.description.empty()) << p.name;
    EXPECT_EQ(p.description.find('\n'), std::string::npos) << p.name;
  }
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), kDefaultPresetName);
  for (const char* required : {"chapter-4x4x3", "smaller-3x3-by-2x2", "alexnet-conv1", "stride2-no-overlap",
                               "padding1", "dilation2", "batch2", "non-square"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
  }
}

TEST(Presets, EveryPresetFileIsCanonical) {
  // Saving a loaded preset gives the same bytes: presets double as round-trip tests.
  for (const auto& p : ListPresets()) {
    std::ifstream in(p.path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const auto loaded = ParseScenarioJson(text.str(), p.path);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    EXPECT_EQ(ScenarioToJson(loaded.document->scenario, loaded.document->description), text.str()) << p.path;
  }
}

TEST(Presets, DefaultPresetIsTheChapterExampleAndCoreDefault) {
  const Scenario chapter = Load("chapter-4x4x3");
  EXPECT_EQ(chapter, Scenario{});
  const Computation c = Compute(chapter);
  EXPECT_EQ(c.x_col.rows(), 12);
  EXPECT_EQ(c.x_col.cols(), 9);
}

TEST(Presets, ShapesMatchTheirNames) {
  const Scenario smaller = Load("smaller-3x3-by-2x2");
  EXPECT_EQ(smaller.shape.channels, 1);
  EXPECT_EQ(smaller.shape.height, 3);
  EXPECT_EQ(smaller.shape.kernel, (Pair{2, 2}));
  const Computation c = Compute(smaller);
  ASSERT_EQ(c.y_mat.cols(), 4);
  EXPECT_EQ(c.y_mat(0, 0), 37);
  EXPECT_EQ(c.y_mat(0, 3), 77);

  const Scenario alexnet = Load("alexnet-conv1");
  EXPECT_EQ(alexnet.shape.height, 227);
  EXPECT_EQ(alexnet.shape.filters, 96);
  EXPECT_EQ(alexnet.shape.kernel, (Pair{11, 11}));
  EXPECT_EQ(alexnet.shape.stride, (Pair{4, 4}));
  EXPECT_EQ(alexnet.shape.OutHeight(), 55);
  EXPECT_EQ(alexnet.input.fill, Fill::Random);

  const Scenario non_square = Load("non-square");
  EXPECT_EQ(non_square.shape.kernel, (Pair{3, 2}));
  EXPECT_EQ(non_square.shape.stride, (Pair{2, 1}));
  EXPECT_EQ(non_square.shape.padding, (Pair{1, 0}));
  EXPECT_NE(non_square.shape.height, non_square.shape.width);

  EXPECT_EQ(Load("batch2").shape.batch, 2);
  EXPECT_EQ(Load("dilation2").shape.dilation, (Pair{2, 2}));
  EXPECT_EQ(Load("padding1").shape.padding, (Pair{1, 1}));
  const Scenario stride2 = Load("stride2-no-overlap");
  EXPECT_EQ(stride2.shape.stride, (Pair{2, 2}));
  EXPECT_FALSE(Compute(stride2).PatchesOverlap());
}

TEST(Presets, UnknownNamesListTheAvailableOnes) {
  for (const std::string name : {"no-such-preset", "../presets/padding1", "", "/etc/passwd"}) {
    const auto result = LoadPreset(name);
    EXPECT_FALSE(result.ok()) << name;
    EXPECT_NE(result.error.find("unknown preset '" + name + "'"), std::string::npos) << result.error;
    EXPECT_NE(result.error.find("available: chapter-4x4x3, smaller-3x3-by-2x2"), std::string::npos)
        << result.error;
  }
}

TEST(Assets, FindsPresetsAndFontsButNothingOutside) {
  EXPECT_TRUE(FindAsset("presets/chapter-4x4x3.json").has_value());
  EXPECT_FALSE(FindAsset("presets/none.json").has_value());
  EXPECT_FALSE(FindAsset("../CMakeLists.txt").has_value());
  EXPECT_FALSE(FindAsset("/etc/passwd").has_value());
  const auto font = FindFont("DejaVuSans.ttf");
  ASSERT_TRUE(font.has_value());
  EXPECT_NE(font->find("DejaVuSans.ttf"), std::string::npos);
  EXPECT_FALSE(FindFont("../../../etc/passwd").has_value());
  EXPECT_FALSE(FindFont("NoSuchFont.ttf").has_value());
}

TEST(Presets, TheOperatorFamilyPresetsHaveTheirShapesAndNumbers) {
  const Scenario k3s2 = Load("transposed-k3s2");
  EXPECT_EQ(k3s2.shape.op, Op::Transposed);
  EXPECT_EQ(k3s2.shape.kernel, (Pair{3, 3}));
  EXPECT_EQ(k3s2.shape.stride, (Pair{2, 2}));
  const Computation k3s2_c = Compute(k3s2);
  EXPECT_EQ(k3s2_c.output.h, 7);
  // The checkerboard: windows share their edges (2) and corners (4), centres get 1.
  EXPECT_EQ(k3s2_c.overlap(0, 0), 1);
  EXPECT_EQ(k3s2_c.overlap(0, 2), 2);
  EXPECT_EQ(k3s2_c.overlap(2, 2), 4);
  EXPECT_EQ(k3s2_c.overlap(3, 3), 1);

  // The smaller example's backward pass, run forward: its dX.
  const Computation smaller = Compute(Load("smaller-3x3-by-2x2"));
  const Computation transposed = Compute(Load("transposed-of-3x3-by-2x2"));
  EXPECT_EQ(transposed.output.data, smaller.grad_input.data);

  const Scenario depthwise = Load("depthwise-3x3");
  EXPECT_EQ(depthwise.shape.groups, depthwise.shape.channels);
  EXPECT_EQ(depthwise.shape.filters, 3);

  const Scenario conv2 = Load("alexnet-conv2-groups2");
  EXPECT_EQ(conv2.shape.channels, 96);
  EXPECT_EQ(conv2.shape.filters, 256);
  EXPECT_EQ(conv2.shape.groups, 2);
  EXPECT_EQ(conv2.shape.kernel, (Pair{5, 5}));
  EXPECT_EQ(conv2.shape.OutHeight(), 27);
  EXPECT_EQ(conv2.shape.PatchSize() * conv2.shape.ColumnCount(), 2400 * 729);
  EXPECT_TRUE(conv2.shape.IsValid());  // within every per-matrix cap

  const Scenario mobilenet = Load("mobilenet-depthwise");
  EXPECT_EQ(mobilenet.shape.height, 112);
  EXPECT_EQ(mobilenet.shape.groups, 32);
  EXPECT_TRUE(mobilenet.shape.IsValid());
}

}  // namespace
}  // namespace im2col::io
