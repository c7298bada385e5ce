// How numbers are written on screen: one rule for the cells of every grid and picture,
// the panels and the hover inspector. Plain text, no drawing.
#pragma once

#include <cstddef>
#include <string>

#include "im2col/shape.h"  // Index

namespace im2col::gui {

// Integers as integers, otherwise at most 3 decimals (trailing zeros dropped); a tiny
// non-zero value keeps a visible exponent (e.g. "1.0e-05") rather than becoming "0".
std::string FormatNumber(double value);
// Every digit that matters, for the hover inspector.
std::string FormatFull(double value);
// The most characters FormatNumber gives for `count` values, sampled (at most ~1024 of
// them): cells are sized from it once per computation, never per frame.
std::size_t LongestNumber(const double* values, Index count);

}  // namespace im2col::gui
