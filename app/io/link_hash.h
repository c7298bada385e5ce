// Links that open a view: the part of a URL after '#' (or `im2col-lab --link`) names a
// scenario and a step with the shape flags' names, e.g.
//   #preset=alexnet-conv1&kernel=3x3&step=40
// Keys: preset, batch, channels, height, width, filters, kernel, stride, padding,
// dilation, layout, order, fill, grad-fill, seed and step; values are checked exactly
// like the command line's flags. Anything wrong gives the chapter's example and a
// one-line message naming the key and the rule.
#pragma once

#include <optional>
#include <string>

#include "im2col/scenario.h"

namespace im2col::io {

// Longest hash read; a longer one is refused whole (no legitimate link comes close).
inline constexpr std::size_t kMaxLinkHashBytes = 2048;

struct LinkView {
  Scenario scenario;            // the chapter's example when the link is bad
  std::string preset;           // the preset named by the link, if any (and good)
  std::optional<long long> step;  // the step asked for (the caller clamps it to the timeline)
  std::string error;            // empty when the link was read whole
  bool ok() const { return error.empty(); }
};

// Reads a hash ("#a=b&c=d", the '#' optional; an empty hash is the default view).
LinkView ParseLinkHash(const std::string& hash);

// The hash that reopens `scenario` at `step`: the preset (when it still loads) and every
// field that differs from it, in the flags' order. Explicit values (an image, a loaded
// file's numbers) cannot travel in a link: *note then says so, and the link keeps the
// shape only.
std::string LinkHashFor(const Scenario& scenario, const std::string& preset, long long step,
                        std::string* note = nullptr);

}  // namespace im2col::io
