// The shape fields the SHAPE panel edits, one number each (pairs split into their
// height and width halves), and their names in messages.
#pragma once

#include "im2col/shape.h"

namespace im2col::gui {

// The shape fields a slider edits (pairs split into their h and w halves).
// Pairs come last, height half first (IsPairHalf / OtherHalf rely on it).
enum class ShapeField {
  Batch, Channels, Height, Width, Filters, Groups,
  KernelH, KernelW, StrideH, StrideW, PaddingH, PaddingW, DilationH, DilationW,
  OutputPaddingH, OutputPaddingW  // op transposed only
};
inline constexpr int kShapeFieldCount = 16;
const char* ToString(ShapeField field);  // "batch", "kernel height", ...
int GetShapeField(const Shape& shape, ShapeField field);
void SetShapeFieldValue(Shape& shape, ShapeField field, int value);
// Pair halves (kernel, stride, padding, dilation) and the other half of one.
bool IsPairHalf(ShapeField field);
ShapeField OtherHalf(ShapeField field);  // kernel height <-> kernel width
// Every pair made square: the width halves take the height halves' values.
void MakeSquare(Shape& shape);

}  // namespace im2col::gui
