#include "gui/state/scenario_compute.h"

#include <cstring>
#include <exception>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace im2col::gui {
namespace {

// The matrices the stage keeps in view in `phase`: the ones the phase works on, and the
// band's largest (X_col forward, dX_col backward). Only a forecast: a matrix shown that
// is not packed here is packed on the UI thread when first drawn.
std::vector<MatrixId> MatricesInFocus(Phase phase) {
  switch (phase) {
    case Phase::Extract:
    case Phase::Flatten: return {MatrixId::XCol, MatrixId::WRow};
    case Phase::Multiply:
    case Phase::Reshape: return {MatrixId::XCol, MatrixId::WRow, MatrixId::YMat};
    case Phase::GradOutput: return {MatrixId::GradXCol, MatrixId::DyMat};
    case Phase::GradWeights: return {MatrixId::GradXCol, MatrixId::DyMat, MatrixId::GradWRow, MatrixId::XCol};
    case Phase::GradXCol: return {MatrixId::GradXCol, MatrixId::DyMat, MatrixId::WRow};
    case Phase::Col2im: return {MatrixId::GradXCol};
    case Phase::GradInput: return {MatrixId::GradXCol, MatrixId::WRow};  // op transposed only
  }
  return {};
}

bool IsForwardMatrix(MatrixId id) { return id == MatrixId::XCol || id == MatrixId::WRow || id == MatrixId::YMat; }

// Bit for bit, like MatrixTexture::HoldsSameCells.
bool SameValues(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), static_cast<size_t>(a.size()) * sizeof(double)) == 0;
}

}  // namespace

ComputedScenario ComputeScenario(const Scenario& scenario) {
  ComputedScenario out;
  out.scenario = scenario;
  try {
    out.computation = std::make_shared<const Computation>(Compute(scenario));
    out.timeline = std::make_shared<const Timeline>(scenario.shape);
  } catch (const std::exception& e) {
    out = ComputedScenario{};
    out.error = std::string("could not compute this scenario: ") + e.what();
  }
  return out;
}

ScenarioComputeJob::ScenarioComputeJob(const Scenario& scenario, int threads, Phase shown_phase,
                                       std::shared_ptr<const Computation> shown, bool pack_beside_backward)
    : threads_(threads), shown_phase_(shown_phase), shown_(std::move(shown)), pack_beside_backward_(pack_beside_backward) {
  out_.scenario = scenario;
}

void ScenarioComputeJob::PackIfChanged(MatrixId id) {
  // Matrices equal to the shown ones are not packed: their textures stay as they are
  // (MatrixTexture::HoldsSameCells).
  if (!shown_ || !SameValues(CanonicalMatrix(*shown_, id), CanonicalMatrix(*computation_, id))) {
    PackMatrix(*packed_, *computation_, id);
  }
}

void ScenarioComputeJob::PackFocus(bool forward_matrices) {
  for (const MatrixId id : MatricesInFocus(shown_phase_))
    if (IsForwardMatrix(id) == forward_matrices) PackIfChanged(id);
}

std::optional<ComputedScenario> ScenarioComputeJob::RunNextPart() {
  if (next_ == Part::Done) return out_;
  try {
    switch (next_) {
      case Part::Forward:
        computation_ = std::make_shared<Computation>(ComputeForward(out_.scenario, threads_));
        packed_ = std::make_shared<PackedMatrices>();
        packed_->x_col_padding = XColPaddingMask(out_.scenario.shape, out_.scenario.order);
        next_ = Part::WeightGradients;
        return std::nullopt;
      case Part::WeightGradients:
        ComputeWeightGradients(*computation_, threads_);
        next_ = Part::InputGradients;
        return std::nullopt;
      case Part::InputGradients:
        if (pack_beside_backward_) {
          // Both read X_col and W_row, and they write different memory.
          std::thread packer([this] { PackFocus(/*forward_matrices=*/true); });
          struct Joiner {  // on every way out, exceptions included
            std::thread& thread;
            ~Joiner() { thread.join(); }
          } joiner{packer};
          ComputeInputGradients(*computation_, threads_);
        } else {
          ComputeInputGradients(*computation_, threads_);
        }
        next_ = Part::Pack;
        return std::nullopt;
      case Part::Pack:
        if (!pack_beside_backward_) PackFocus(/*forward_matrices=*/true);
        PackFocus(/*forward_matrices=*/false);
        packed_->computation = computation_;
        out_.computation = std::move(computation_);
        out_.timeline = std::make_shared<const Timeline>(out_.scenario.shape);
        out_.packed = std::move(packed_);
        break;
      case Part::Done: break;
    }
  } catch (const std::exception& e) {
    out_ = ComputedScenario{};
    out_.error = std::string("could not compute this scenario: ") + e.what();
  }
  next_ = Part::Done;
  computation_.reset();
  packed_.reset();
  return out_;
}

}  // namespace im2col::gui
