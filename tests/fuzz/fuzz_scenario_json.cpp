// Fuzzes the scenario file reader (io/scenario_json.h) with arbitrary bytes.
//
// Properties, for every input:
//   - it returns, with either a whole scenario or a one-line error that starts with
//     the file's name (never both, never a partial scenario);
//   - an accepted scenario is valid, saves, and reading the saved text gives the
//     same scenario and, saved again, the same bytes;
//   - an accepted scenario that is small enough computes without throwing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "im2col/convolution.h"
#include "io/scenario_json.h"

namespace {

constexpr const char* kSourceName = "fuzz.json";
// Compute costs about (R * N*L * F) operations; keep each input well under a millisecond.
constexpr double kMaxCellsToCompute = 20000.0;

double LargestMatrixCells(const im2col::Shape& s) {
  const double r = s.PatchSize(), columns = static_cast<double>(s.ColumnCount());
  const double input = static_cast<double>(s.batch) * s.channels * s.height * s.width;
  const double output = static_cast<double>(s.batch) * s.filters * s.OutHeight() * s.OutWidth();  // transposed
  const double largest = std::max({r * columns, input, s.filters * columns, s.filters * r, output});
  return largest * std::max(1, s.filters);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace im2col;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const io::ScenarioReadResult read = io::ParseScenarioJson(text, kSourceName);

  if (!read.ok()) {
    FUZZ_CHECK(!read.error.empty(), "a refused file must say why");
    FUZZ_CHECK(read.error.rfind(std::string(kSourceName) + ": ", 0) == 0, "error: " + read.error);
    FUZZ_CHECK(read.error.find_first_of("\r\n") == std::string::npos, "error must be one line: " + read.error);
    return 0;
  }
  FUZZ_CHECK(read.error.empty(), "accepted, yet an error: " + read.error);

  const Scenario& scenario = read.document->scenario;
  const std::string& description = read.document->description;
  const auto problems = scenario.Validate();
  FUZZ_CHECK(problems.empty(), "accepted an invalid scenario: " + problems.front());

  // Save -> open gives the same scenario; save again gives the same bytes.
  const std::string saved = io::ScenarioToJson(scenario, description);
  const io::ScenarioReadResult reread = io::ParseScenarioJson(saved, "saved.json");
  FUZZ_CHECK(reread.ok(), "the saved file does not read back: " + reread.error + "\n" + saved);
  FUZZ_CHECK(reread.document->scenario == scenario, "save -> open changed the scenario:\n" + saved);
  FUZZ_CHECK(reread.document->description == description, "save -> open changed the description");
  FUZZ_CHECK(io::ScenarioToJson(reread.document->scenario, description) == saved, "saving is not stable");

  if (LargestMatrixCells(scenario.shape) <= kMaxCellsToCompute) {
    const Computation computation = Compute(scenario);  // throws only for invalid scenarios
    const Shape& s = scenario.shape;
    FUZZ_CHECK(computation.x_col.rows() == s.PatchSize() && computation.x_col.cols() == s.ColumnCount(),
               "X_col is not R x N*L");
    if (s.op == Op::Transposed) {  // x_mat instead of Y_mat; the output is col2im of X_col
      FUZZ_CHECK(computation.x_mat.rows() == s.channels && computation.x_mat.cols() == s.ColumnCount(),
                 "x_mat is not C x N*L");
      FUZZ_CHECK(computation.output.Size() == Index{s.batch} * s.filters * s.OutHeight() * s.OutWidth(),
                 "output is not N x F x HO x WO");
    } else {
      FUZZ_CHECK(computation.y_mat.rows() == s.filters && computation.y_mat.cols() == s.ColumnCount(),
                 "Y is not F x N*L");
    }
  }
  return 0;
}
