// Asking core for a scenario's computation and timeline, on the calling thread or, for
// large scenarios, off the frame: on a worker thread natively, or in parts spread over
// frames in the browser page (which has no worker threads), each part one call to core
// plus packing the matrices the stage shows first for its textures.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gui/state/matrix_packing.h"
#include "im2col/convolution.h"
#include "im2col/scenario.h"
#include "im2col/timeline.h"

namespace im2col::gui {

// A scenario with everything core says about it (or why core refused it).
struct ComputedScenario {
  Scenario scenario;
  std::shared_ptr<const Computation> computation;
  std::shared_ptr<const Timeline> timeline;
  // Computed on the worker: the matrices the stage shows first, packed for its textures
  // there too (null: the stage packs what it shows on the UI thread).
  std::shared_ptr<const PackedMatrices> packed;
  std::string error;  // non-empty: core threw; the other fields are empty
};
// On the calling thread, single-threaded, nothing packed.
ComputedScenario ComputeScenario(const Scenario& scenario);

// The background computation (LatestTask::StartInParts), in parts: core's forward pass,
// its weight gradients, its input gradients (each ~a third of the work at AlexNet size),
// then the matrices the stage shows first in `shown_phase` packed for its textures, except
// those equal to the `shown` computation's (their textures stay). With
// `pack_beside_backward` the forward matrices are packed on a second thread while the
// input gradients are computed (a worker has cores to spare; a page has no threads).
class ScenarioComputeJob {
 public:
  ScenarioComputeJob(const Scenario& scenario, int threads, Phase shown_phase,
                     std::shared_ptr<const Computation> shown, bool pack_beside_backward);
  // Does the next part: nullopt while parts remain, then the result (with `error` set
  // when core threw; a part after that returns it again).
  std::optional<ComputedScenario> RunNextPart();

 private:
  enum class Part { Forward, WeightGradients, InputGradients, Pack, Done };
  void PackIfChanged(MatrixId id);
  void PackFocus(bool forward_matrices);

  ComputedScenario out_;
  int threads_;
  Phase shown_phase_;
  std::shared_ptr<const Computation> shown_;
  bool pack_beside_backward_;
  Part next_ = Part::Forward;
  std::shared_ptr<Computation> computation_;
  std::shared_ptr<PackedMatrices> packed_;
};

}  // namespace im2col::gui
