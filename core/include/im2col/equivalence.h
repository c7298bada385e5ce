// Two other roads to a transposed convolution's output, for the window's "same as the
// conv's dX" view and its tests:
//  1. the conv whose backward-data path it is: same weights, input channels F, filters C,
//     an HO x WO input; with dY = the transposed input, its dX equals output - bias;
//  2. zero insertion: S-1 zeros between the input pixels, D*(K-1)-P zeros around them
//     (cropped when negative; + output padding at the bottom/right), then an ordinary
//     stride-1 convolution with dilation D and the kernel flipped in space, its C and F
//     swapped (per group); plus the bias, that is the output.
#pragma once

#include <optional>
#include <string>

#include "im2col/convolution.h"

namespace im2col {

// The conv whose dX path the transposed scenario `t` (op transposed, valid) runs: same
// kernel, stride, padding, dilation, groups, layout and order; channels F, filters C,
// input HO x WO; weights = t's weights (C x F/G x KH x KW is the conv's F x C/G layout),
// grad_output = t's input. nullopt when that conv's output is not H x W (output padding
// at least the stride), with the reason in `why`.
std::optional<Scenario> MatchingConv(const Scenario& t, std::string* why = nullptr);

struct ZeroInsertion {
  Tensor4 dilated;          // N x C x HD x WD: input with zeros inserted, padded or cropped
  Pair inserted_border;     // D*(K-1)-P per axis (negative: rows/columns cropped)
  Tensor4 flipped_weights;  // F x C/G x KH x KW: W[c, f, KH-1-ky, KW-1-kx] regrouped
  Tensor4 output;           // N x F x HO x WO: the stride-1 dilated conv of `dilated`, + bias
};
// The zero-insertion road for a transposed computation (nested loops, no im2col).
ZeroInsertion ZeroInsertionRoad(const Computation& t);

// True when a and b have the same dimensions and every cell agrees within `tolerance`
// (relative to the larger magnitude, at least 1).
bool SameCells(const Tensor4& a, const Tensor4& b, double tolerance = 1e-9);

}  // namespace im2col
