// Links that open a view: the hash reader takes the shape flags' names and rules, and
// any hostile hash gives the chapter's example plus one line naming the key.
#include "io/link_hash.h"

#include <gtest/gtest.h>

#include <string>

#include "io/presets.h"

namespace im2col::io {
namespace {

TEST(LinkHash, EmptyHashIsTheChaptersExample) {
  for (const std::string hash : {"", "#", "#&", "&&&"}) {
    const LinkView view = ParseLinkHash(hash);
    EXPECT_TRUE(view.ok()) << hash << ": " << view.error;
    EXPECT_EQ(view.scenario, Scenario{}) << hash;
    EXPECT_FALSE(view.step.has_value());
  }
}

TEST(LinkHash, PresetWithFlagsAndStep) {
  const LinkView view = ParseLinkHash("#preset=alexnet-conv1&kernel=3x3&step=40");
  ASSERT_TRUE(view.ok()) << view.error;
  const auto preset = LoadPreset("alexnet-conv1");
  ASSERT_TRUE(preset.ok());
  EXPECT_EQ(view.preset, "alexnet-conv1");
  EXPECT_EQ(view.scenario.shape.channels, preset.document->scenario.shape.channels);
  EXPECT_EQ(view.scenario.shape.kernel, (Pair{3, 3}));
  EXPECT_EQ(view.step, 40);
}

TEST(LinkHash, EveryShapeKeyIsRead) {
  const LinkView view = ParseLinkHash(
      "batch=2&channels=1&height=5&width=6&filters=2&kernel=3x2&stride=2&padding=1&dilation=1&layout=rows&"
      "order=column-major&fill=random&grad-fill=ramp&seed=7&step=3");
  ASSERT_TRUE(view.ok()) << view.error;
  const Scenario& s = view.scenario;
  EXPECT_EQ(s.shape.batch, 2);
  EXPECT_EQ(s.shape.channels, 1);
  EXPECT_EQ(s.shape.height, 5);
  EXPECT_EQ(s.shape.width, 6);
  EXPECT_EQ(s.shape.filters, 2);
  EXPECT_EQ(s.shape.kernel, (Pair{3, 2}));
  EXPECT_EQ(s.shape.stride, (Pair{2, 2}));
  EXPECT_EQ(s.shape.padding, (Pair{1, 1}));
  EXPECT_EQ(s.layout, Layout::Rows);
  EXPECT_EQ(s.order, Order::ColumnMajor);
  EXPECT_EQ(s.input.fill, Fill::Random);
  EXPECT_EQ(s.grad_output.fill, Fill::Ramp);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(view.step, 3);
}

TEST(LinkHash, PercentEncodingIsDecoded) {
  const LinkView view = ParseLinkHash("#kernel=3%78%32&layout=%72ows");
  ASSERT_TRUE(view.ok()) << view.error;
  EXPECT_EQ(view.scenario.shape.kernel, (Pair{3, 2}));
  EXPECT_EQ(view.scenario.layout, Layout::Rows);
}

// Every bad hash: the default scenario, and a message that names what was wrong.
void ExpectRefused(const std::string& hash, const std::string& named) {
  const LinkView view = ParseLinkHash(hash);
  EXPECT_FALSE(view.ok()) << "accepted: " << hash.substr(0, 80);
  EXPECT_EQ(view.scenario, Scenario{});
  EXPECT_FALSE(view.step.has_value());
  EXPECT_NE(view.error.find(named), std::string::npos) << view.error;
  EXPECT_EQ(view.error.find('\n'), std::string::npos) << "one line: " << view.error;
  EXPECT_LT(view.error.size(), 400u) << view.error;
}

TEST(LinkHash, HostileHashesFallBackWithAMessageNamingTheKey) {
  ExpectRefused("#colour=red", "unknown key 'colour'");
  ExpectRefused("#kernel=0", "kernel: must be >= 1");
  ExpectRefused("#kernel=99999999999999999999", "kernel");
  ExpectRefused("#height=-3", "height");
  ExpectRefused("#height=4e3", "height");
  ExpectRefused("#layout=diagonal", "layout: expected columns or rows");
  ExpectRefused("#fill=lava", "fill");
  ExpectRefused("#seed=-1", "seed");
  ExpectRefused("#step=-1", "step: expected a whole number");
  ExpectRefused("#step=12abc", "step");
  ExpectRefused("#step=99999999999999999999", "step");
  ExpectRefused("#preset=../../etc/passwd", "preset");
  ExpectRefused("#preset=no-such-preset", "preset");
  ExpectRefused("#kernel=3&kernel=2", "kernel: given twice");
  ExpectRefused("#kernel", "'kernel' has no value");
  ExpectRefused("#kernel=%ZZ", "kernel: bad %-encoding");
  ExpectRefused("#kernel=3%", "kernel: bad %-encoding");
  ExpectRefused("#kernel=%0A3", "kernel: bad %-encoding or a control character");
  ExpectRefused("#ke%rnel=3", "bad %-encoding in key");
  ExpectRefused("#kernel=\xff\xfe", "kernel");
  ExpectRefused("#scenario=/etc/passwd", "unknown key 'scenario'");
  // Too big for memory: core's budget, its first problem only.
  ExpectRefused("#preset=alexnet-conv1&batch=100000&channels=100000", "more than the 256 MB limit (and more)");
}

TEST(LinkHash, TenKilobyteHashIsRefusedWhole) {
  std::string hash = "#kernel=3";
  while (hash.size() < 10 * 1024) hash += "&kernel=3";
  ExpectRefused(hash, "longer than 2048 bytes");
  ExpectRefused("#" + std::string(10 * 1024, '&'), "longer than");
  ExpectRefused("#" + std::string(10 * 1024, 'x') + "=1", "longer than");
}

TEST(LinkHash, WrittenHashReadsBackToTheSameScenarioAndStep) {
  Scenario custom;
  custom.shape.kernel = {3, 2};
  custom.shape.padding = {1, 1};
  custom.layout = Layout::Rows;
  custom.order = Order::ColumnMajor;
  custom.input = custom.weights = custom.bias = TensorSource{Fill::Random, {}};
  custom.grad_output = TensorSource{Fill::Ramp, {}};
  custom.seed = 9;
  std::string note = "untouched";
  const std::string hash = LinkHashFor(custom, "", 17, &note);
  EXPECT_TRUE(note.empty()) << note;
  EXPECT_EQ(hash.find("preset="), std::string::npos) << hash;
  const LinkView view = ParseLinkHash(hash);
  ASSERT_TRUE(view.ok()) << hash << ": " << view.error;
  Scenario expected = custom;
  expected.title = view.scenario.title;  // titles are not part of a link
  EXPECT_EQ(view.scenario, expected) << hash;
  EXPECT_EQ(view.step, 17);

  // Unchanged preset: just its name and the step.
  const auto preset = LoadPreset("padding1");
  ASSERT_TRUE(preset.ok());
  EXPECT_EQ(LinkHashFor(preset.document->scenario, "padding1", 5), "#preset=padding1&step=5");
  // A preset with one change keeps the name and that change only.
  Scenario edited = preset.document->scenario;
  edited.shape.stride = {2, 1};
  const std::string edited_hash = LinkHashFor(edited, "padding1", 0);
  EXPECT_EQ(edited_hash, "#preset=padding1&stride=2x1&step=0");
  const LinkView reread = ParseLinkHash(edited_hash);
  ASSERT_TRUE(reread.ok()) << reread.error;
  EXPECT_EQ(reread.scenario.shape, edited.shape);
}

TEST(LinkHash, ExplicitValuesCannotTravelAndTheNoteSaysSo) {
  Scenario with_image;
  with_image.input.values.assign(static_cast<size_t>(TensorSize(with_image.shape, TensorRole::Input)), 0.5);
  std::string note;
  const std::string hash = LinkHashFor(with_image, "", 0, &note);
  EXPECT_NE(note.find("not this scenario's own input"), std::string::npos) << note;
  EXPECT_TRUE(ParseLinkHash(hash).ok()) << hash;
}

}  // namespace
}  // namespace im2col::io
