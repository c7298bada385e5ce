// Scenario files: every error path names the file, the field and the rule; nothing
// partial is ever returned; save -> open -> save is byte-identical.
#include "io/scenario_json.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace im2col::io {
namespace {

ScenarioReadResult Parse(const std::string& text) { return ParseScenarioJson(text, "a.json"); }

std::string ErrorOf(const std::string& text) {
  const auto result = Parse(text);
  EXPECT_FALSE(result.ok()) << text;
  EXPECT_FALSE(result.document.has_value());
  return result.error;
}

// The message a test expects must appear in full, starting with the file name.
void ExpectError(const std::string& text, const std::string& expected) {
  const std::string error = ErrorOf(text);
  EXPECT_EQ(error.rfind("a.json: ", 0), 0u) << error;
  EXPECT_NE(error.find(expected), std::string::npos) << "error was: " << error << "\nexpected: " << expected;
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
}

TEST(ScenarioJson, EmptyObjectGivesDesignDefaults) {
  const auto result = Parse("{}");
  ASSERT_TRUE(result.ok()) << result.error;
  Scenario expected;
  expected.title = "a";  // no title: the file's stem
  EXPECT_EQ(result.document->scenario, expected);
  EXPECT_EQ(result.document->scenario.shape.kernel, (Pair{2, 2}));
  EXPECT_EQ(result.document->scenario.bias.fill, Fill::Zeros);
  EXPECT_EQ(result.document->scenario.grad_output.fill, Fill::Ones);
}

TEST(ScenarioJson, ReadsEveryField) {
  const auto result = Parse(R"({
    "format": "im2col-lab-scenario", "version": 1, "title": "T", "description": "D",
    "shape": {"batch": 2, "channels": 1, "height": 5, "width": 6, "filters": 3,
              "kernel": [3, 2], "stride": [2, 1], "padding": [1, 0], "dilation": 1},
    "layout": "rows", "order": "column-major", "seed": 18446744073709551615,
    "input": {"fill": "random"}, "weights": {"fill": "ones"}, "bias": {"values": [1, 2.5, -3]},
    "grad_output": {"fill": "ramp"}})");
  ASSERT_TRUE(result.ok()) << result.error;
  const Scenario& sc = result.document->scenario;
  EXPECT_EQ(sc.title, "T");
  EXPECT_EQ(result.document->description, "D");
  EXPECT_EQ(sc.shape.batch, 2);
  EXPECT_EQ(sc.shape.filters, 3);
  EXPECT_EQ(sc.shape.kernel, (Pair{3, 2}));
  EXPECT_EQ(sc.shape.stride, (Pair{2, 1}));
  EXPECT_EQ(sc.shape.padding, (Pair{1, 0}));
  EXPECT_EQ(sc.shape.dilation, (Pair{1, 1}));
  EXPECT_EQ(sc.layout, Layout::Rows);
  EXPECT_EQ(sc.order, Order::ColumnMajor);
  EXPECT_EQ(sc.seed, 18446744073709551615ull);
  EXPECT_EQ(sc.input.fill, Fill::Random);
  EXPECT_EQ(sc.weights.fill, Fill::Ones);
  EXPECT_EQ(sc.bias.values, (std::vector<double>{1, 2.5, -3}));
  EXPECT_EQ(sc.grad_output.fill, Fill::Ramp);
}

TEST(ScenarioJson, FlatAndNestedValuesAgree) {
  const std::string shape = R"("shape": {"channels": 2, "height": 2, "width": 3, "kernel": 1},)";
  const auto flat = Parse("{" + shape + R"("input": {"values": [1,2,3,4,5,6,7,8,9,10,11,12]}})");
  const auto nested =
      Parse("{" + shape + R"("input": {"values": [[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,12]]]]}})");
  ASSERT_TRUE(flat.ok()) << flat.error;
  ASSERT_TRUE(nested.ok()) << nested.error;
  EXPECT_EQ(flat.document->scenario.input.values, nested.document->scenario.input.values);
  EXPECT_EQ(nested.document->scenario.input.values[7], 8.0);
}

TEST(ScenarioJson, ShapeErrorsNameTheField) {
  ExpectError(R"({"shape": {"kernel": 0}})", "a.json: field shape.kernel: must be >= 1, got 0");
  ExpectError(R"({"shape": {"kernel": [3, 0]}})", "field shape.kernel[1]: must be >= 1, got 0");
  ExpectError(R"({"shape": {"padding": -1}})", "field shape.padding: must be >= 0, got -1");
  ExpectError(R"({"shape": {"stride": "2"}})", "field shape.stride: expected an integer or [height, width], got a string \"2\"");
  ExpectError(R"({"shape": {"stride": [1, 2, 3]}})", "field shape.stride: expected an integer or [height, width], got an array of 3");
  ExpectError(R"({"shape": {"batch": 1.5}})", "field shape.batch: expected an integer, got 1.5");
  ExpectError(R"({"shape": {"height": 99999999999999}})", "field shape.height: must be <= 1048576, got 99999999999999");
  ExpectError(R"({"shape": {"height": 99999999999999999999}})", "field shape.height: must be <= 1048576");
  ExpectError(R"({"shape": {"width": 1e300}})", "field shape.width: must be <= 1048576");
  ExpectError(R"({"shape": {"filters": null}})", "field shape.filters: expected an integer, got null");
  ExpectError(R"({"shape": {"kernal": 3}})", "field shape.kernal: unknown field");
  ExpectError(R"({"shape": [1]})", "field shape: expected an object");
}

TEST(ScenarioJson, CrossFieldShapeRulesComeFromCore) {
  // A 5x5 kernel cannot fit a 3x3 input without padding.
  ExpectError(R"({"shape": {"height": 3, "width": 3, "kernel": 5}})", "a.json: field shape: kernel 5x5");
  // Matrices over the memory cap are refused before anything is allocated.
  const std::string error = ErrorOf(R"({"shape": {"height": 100000, "width": 100000, "kernel": 1}})");
  EXPECT_NE(error.find("field shape:"), std::string::npos) << error;
}

TEST(ScenarioJson, TopLevelErrors) {
  ExpectError("[]", "a.json: expected an object");
  ExpectError(R"({"format": "something-else"})", "field format: expected \"im2col-lab-scenario\"");
  ExpectError(R"({"version": 2})", "field version: this program reads version 1, got 2");
  ExpectError(R"({"title": 3})", "field title: expected a string, got 3");
  ExpectError(R"({"layout": "diagonal"})", "field layout: unknown layout 'diagonal'; expected columns or rows");
  ExpectError(R"({"order": "z-order"})", "field order: unknown order 'z-order'");
  ExpectError(R"({"seed": -1})", "field seed: must be >= 0, got -1");
  ExpectError(R"({"colour": "red"})", "field colour: unknown field");
}

TEST(ScenarioJson, TensorSourceErrors) {
  ExpectError(R"({"input": {"fill": "gradient"}})",
              "field input.fill: unknown fill 'gradient'; expected ramp, random, ones or zeros");
  ExpectError(R"({"input": "ramp"})", "field input: expected an object");
  ExpectError(R"({"input": {}})", "field input: expected exactly one of");
  ExpectError(R"({"input": {"fill": "ramp", "values": [1]}})", "field input: expected exactly one of");
  ExpectError(R"({"weights": {"fill": 1}})", "field weights.fill: expected a string, got 1");
}

TEST(ScenarioJson, ValueCountsMustMatchTheShape) {
  // Default shape: input 1x3x4x4 = 48 values.
  ExpectError(R"({"input": {"values": [1, 2, 3]}})",
              "field input.values: expected 48 numbers (1x3x4x4, flat or nested), got 3");
  ExpectError(R"({"input": {"values": []}})", "field input.values: expected 48 numbers");
  ExpectError(R"({"bias": {"values": [1, 2]}})", "field bias.values: expected 1 number (1, flat or nested), got 2");
  // Nested arrays must match each dimension exactly.
  ExpectError(R"({"shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1},
                  "input": {"values": [[[[1, 2], [3]]]]}})",
              "field input.values[0][0][1]: expected 2 entries (width), got 1");
  ExpectError(R"({"shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1},
                  "input": {"values": [[[1, 2], [3, 4]]]}})",
              "field input.values[0]: expected 1 entry (channels), got 2");
  ExpectError(R"({"shape": {"channels": 1, "height": 2, "width": 1, "kernel": 1},
                  "input": {"values": [[[1, 2]]]}})",
              "field input.values[0][0][0]: expected an array of 1 (width), got 1");
  ExpectError(R"({"shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1},
                  "weights": {"values": [[[[1]], [[2]]]]}})",
              "field weights.values[0]: expected 1 entry (channels), got 2");
  // grad_output follows the output size: 1x1x3x3 for the default shape.
  ExpectError(R"({"grad_output": {"values": [1, 2, 3, 4]}})",
              "field grad_output.values: expected 9 numbers (1x1x3x3");
}

TEST(ScenarioJson, ValuesMustBeFiniteAndBounded) {
  ExpectError(R"({"bias": {"values": ["1"]}})", "field bias.values[0]: expected a number, got a string \"1\"");
  ExpectError(R"({"bias": {"values": [1e13]}})", "field bias.values[0]: must be a finite number with magnitude <= 1e12");
  ExpectError(R"({"bias": {"values": [1e309]}})", "field bias.values[0]: malformed JSON at line 1, column");
  EXPECT_NE(ErrorOf(R"({"bias": {"values": [1e309]}})").find("too large for a double"), std::string::npos);
  ExpectError(R"({"bias": {"values": [NaN]}})", "malformed JSON at line 1");
  EXPECT_NE(ErrorOf(R"({"bias": {"values": [NaN]}})").find("JSON has no NaN"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"bias": {"values": [1, Infinity]}})").find("JSON has no NaN or Infinity"), std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"bias" x})").find("NaN"), std::string::npos) << "no NaN hint for other typos";
  ExpectError(R"({"bias": {"values": [-Infinity]}})", "malformed JSON");
}

TEST(ScenarioJson, MalformedJsonGivesLineAndColumn) {
  ExpectError("{\n  \"title\": \"x\",\n  \"shape\": {\"kernel\": 2,}\n}",
              "a.json: field shape: malformed JSON at line 3, column 25: syntax error");
  ExpectError("{\"title\": \"x\" \"shape\": 1}", "a.json: malformed JSON at line 1, column 21");
  ExpectError("", "malformed JSON at line 1, column");
  ExpectError("{\"title\": \"x\"", "malformed JSON");
  ExpectError("{} trailing", "malformed JSON");
  ExpectError(std::string(1000, '['), "nested deeper than 64 levels");
}

TEST(ScenarioJson, SaveOpenSaveIsByteIdentical) {
  Scenario sc;
  sc.title = "Round \"trip\" \xc3\xa9";
  sc.shape.channels = 2;
  sc.shape.height = 3;
  sc.shape.width = 5;
  sc.shape.filters = 2;
  sc.shape.kernel = {3, 2};
  sc.shape.padding = {1, 0};
  sc.layout = Layout::Rows;
  sc.order = Order::ColumnMajor;
  sc.seed = 12345678901234ull;
  for (int i = 0; i < 2 * 3 * 5; ++i) sc.input.values.push_back(i * 0.1 - 1.0 / 3.0);
  sc.bias.values = {-0.0, 1e-7};
  sc.grad_output.fill = Fill::Random;

  const std::string first = ScenarioToJson(sc, "A description.");
  const auto reopened = ParseScenarioJson(first, "rt.json");
  ASSERT_TRUE(reopened.ok()) << reopened.error << "\n" << first;
  EXPECT_EQ(reopened.document->scenario, sc);
  EXPECT_EQ(reopened.document->description, "A description.");
  const std::string second = ScenarioToJson(reopened.document->scenario, reopened.document->description);
  EXPECT_EQ(first, second);
}

TEST(ScenarioJson, WritesNestedValuesAndIntegersWithoutDecimals) {
  Scenario sc;
  sc.shape.channels = 1;
  sc.shape.height = 2;
  sc.shape.width = 2;
  sc.shape.kernel = {1, 1};
  sc.input.values = {1, 2, 3, 4.5};
  const std::string text = ScenarioToJson(sc);
  EXPECT_NE(text.find("[1, 2],"), std::string::npos) << text;
  EXPECT_NE(text.find("[3, 4.5]"), std::string::npos) << text;
  EXPECT_EQ(text.find("1.0"), std::string::npos) << text;
  EXPECT_EQ(text.find("\"description\""), std::string::npos) << "no empty description";
  // Stable key order: format first, grad_output last.
  EXPECT_EQ(text.rfind("{\n  \"format\": \"im2col-lab-scenario\",\n  \"version\": 1,\n  \"title\"", 0), 0u) << text;
  EXPECT_LT(text.find("\"bias\""), text.find("\"grad_output\""));
  EXPECT_EQ(text.back(), '\n');
}

TEST(ScenarioJson, FilesRoundTripThroughDisk) {
  const auto dir = std::filesystem::temp_directory_path() / ("im2col_io_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "scenario.json").string();
  Scenario sc;
  sc.title = "Disk";
  sc.shape.stride = {2, 1};
  ASSERT_EQ(WriteScenarioFile(path, sc, "d"), "");
  const auto loaded = ReadScenarioFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error;
  EXPECT_EQ(loaded.document->scenario, sc);

  const auto missing = ReadScenarioFile((dir / "missing.json").string());
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("missing.json: cannot open"), std::string::npos) << missing.error;
  const auto directory = ReadScenarioFile(dir.string());
  EXPECT_FALSE(directory.ok());
  EXPECT_NE(directory.error.find("is a directory"), std::string::npos) << directory.error;
  std::filesystem::remove_all(dir);
}

// [SECTION] The operator family's fields

TEST(ScenarioJson, GroupsOpAndOutputPaddingRoundTripAndOldFilesKeepTheirBytes) {
  Scenario sc;
  sc.shape.channels = 4;
  sc.shape.filters = 2;
  sc.shape.groups = 2;
  sc.shape.op = Op::Transposed;
  sc.shape.stride = {2, 3};
  sc.shape.output_padding = {1, 2};
  sc.weights.values.assign(static_cast<size_t>(TensorSize(sc.shape, TensorRole::Weights)), 2.0);  // 4 x 1 x 2 x 2
  const std::string text = ScenarioToJson(sc);
  EXPECT_NE(text.find("\"groups\": 2"), std::string::npos) << text;
  EXPECT_NE(text.find("\"op\": \"transposed\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"output_padding\": [1, 2]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"version\": 1"), std::string::npos);
  const auto back = Parse(text);
  ASSERT_TRUE(back.ok()) << back.error;
  EXPECT_EQ(back.document->scenario.shape, sc.shape);
  EXPECT_EQ(back.document->scenario.weights.values, sc.weights.values);
  EXPECT_EQ(ScenarioToJson(back.document->scenario), text);
  // An ordinary convolution writes none of the new fields.
  const std::string plain = ScenarioToJson(Scenario{});
  EXPECT_EQ(plain.find("groups"), std::string::npos);
  EXPECT_EQ(plain.find("\"op\""), std::string::npos);
  EXPECT_EQ(plain.find("output_padding"), std::string::npos);
}

TEST(ScenarioJson, TheNewFieldsAreCheckedByName) {
  ExpectError(R"({"shape": {"op": 3}})", "field shape.op: expected a string, got 3");
  ExpectError(R"({"shape": {"op": "deconv"}})", "field shape.op: expected \"conv\" or \"transposed\", got \"deconv\"");
  ExpectError(R"({"shape": {"groups": -1}})", "field shape.groups: must be >= 1, got -1");
  ExpectError(R"({"shape": {"groups": 2, "channels": 4}})", "field shape: groups 2 must divide filters 1");
  ExpectError(R"({"shape": {"output_padding": [0, 1]}})", "field shape: output_padding is only for op transposed");
  ExpectError(R"({"shape": {"op": "transposed", "output_padding": 1}})",
              "field shape: output_padding 1 must be smaller than stride 1 or dilation 1 (height)");
  // Weights of a grouped conv nest F x C/G x KH x KW.
  ExpectError(R"({"shape": {"channels": 4, "filters": 2, "groups": 2}, "weights": {"values": [1, 2]}})",
              "field weights.values: expected 16 numbers (2x2x2x2, flat or nested), got 2");
}

}  // namespace
}  // namespace im2col::io
