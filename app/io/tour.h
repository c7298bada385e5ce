// Guided tours: a teacher's script of scenarios, timeline steps, narration and what
// to point at (assets/tours/*.json; the format is described in docs/tours.md).
//
//   {"format": "im2col-lab-tour", "version": 1, "title": ..., "description": ...,
//    "steps": [{"preset": NAME | "scenario": {scenario file object},
//               "set": {"kernel": "3", "stride": 2, ...},     // shape flags, optional
//               "step": N | "phase": "col2im" [, "phase_step": K],  // K < 0 counts from the end
//               "overwrite": false,                           // show col2im's overwrite bug
//               "narration": "one to three sentences",
//               "point_at": ["x_col[0,0]", "input[0,0,0,0]", "panel:stage", ...]}]}
//
// Reading resolves every step to a valid scenario and a timeline step, so a player or
// `render --tour` never meets a broken step. Every problem is one line naming the
// file, the step and the field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "im2col/scenario.h"

namespace im2col::io {

inline constexpr const char* kTourFormatName = "im2col-lab-tour";
inline constexpr int kTourFormatVersion = 1;
inline constexpr int kMaxTourSteps = 200;
inline constexpr int kMaxNarrationSentences = 3;

struct TourStep {
  std::string preset;  // the preset the step names when it changes nothing ("" otherwise); kept for writing
  Scenario scenario;   // valid, with the step's overrides applied
  Index step = 0;      // within the scenario's timeline
  bool overwrite = false;
  std::string narration;
  std::vector<std::string> point_at;  // layout ids, as `render --layout-json` writes them
};

struct Tour {
  std::string name;  // file stem
  std::string title;
  std::string description;
  std::vector<TourStep> steps;
  // Problems that do not stop the tour, e.g. "FILE: steps[2].narration: 4 sentences; keep it to 3".
  std::vector<std::string> warnings;
};

struct TourReadResult {
  std::optional<Tour> tour;
  std::string error;  // one line: "FILE: steps[2].step: must be 0..107 (this scenario has 108 steps), got 200"
  bool ok() const { return tour.has_value(); }
};

// Parses tour JSON; `source_name` (usually the path) starts every message and its
// stem names the tour.
TourReadResult ParseTourJson(const std::string& text, const std::string& source_name);
TourReadResult ReadTourFile(const std::string& path);

struct TourInfo {
  std::string name;
  std::string title;
  int steps = 0;
  std::string path;
};

// The shipped tours (assets/tours), in teaching order; unreadable ones are skipped
// (the tests read each one).
std::vector<TourInfo> ListTours();

// A shipped tour by name, or a tour file when the argument names a path (contains a
// '/' or ends in ".json"). Unknown names list the available tours.
TourReadResult LoadTour(const std::string& name_or_path);

// The tour as a file (docs/tours.md): each step names its preset when it has one,
// else carries its scenario inline; the step is written as "step". Reading the text
// back gives the same steps.
std::string TourToJson(const Tour& tour);
// Writes atomically after checking that the text reads back as a tour (so a step
// without narration is refused, naming the step). "" or a one-line error.
std::string WriteTourFile(const std::string& path, const Tour& tour);
// True when the file is JSON whose "format" is "im2col-lab-tour" (a dropped file).
bool IsTourFile(const std::string& path);

// Checks a pointed id: its syntax ("x_col[r,j]", "panel:stage", ...) and, for cell
// ids, that the indices are inside that matrix or tensor as displayed for the
// scenario. "" when fine, else the problem ("x_col[12,0] is outside X_col, 12 x 9 as displayed").
std::string CheckPointId(const Scenario& scenario, const std::string& id);

}  // namespace im2col::io
