#include "gui/state/shape_fields.h"

namespace im2col::gui {

const char* ToString(ShapeField field) {
  switch (field) {
    case ShapeField::Batch: return "batch";
    case ShapeField::Channels: return "channels";
    case ShapeField::Height: return "height";
    case ShapeField::Width: return "width";
    case ShapeField::Filters: return "filters";
    case ShapeField::Groups: return "groups";
    case ShapeField::OutputPaddingH: return "output padding height";
    case ShapeField::OutputPaddingW: return "output padding width";
    case ShapeField::KernelH: return "kernel height";
    case ShapeField::KernelW: return "kernel width";
    case ShapeField::StrideH: return "stride height";
    case ShapeField::StrideW: return "stride width";
    case ShapeField::PaddingH: return "padding height";
    case ShapeField::PaddingW: return "padding width";
    case ShapeField::DilationH: return "dilation height";
    case ShapeField::DilationW: return "dilation width";
  }
  return "batch";
}

int GetShapeField(const Shape& s, ShapeField field) {
  switch (field) {
    case ShapeField::Batch: return s.batch;
    case ShapeField::Channels: return s.channels;
    case ShapeField::Height: return s.height;
    case ShapeField::Width: return s.width;
    case ShapeField::Filters: return s.filters;
    case ShapeField::Groups: return s.groups;
    case ShapeField::OutputPaddingH: return s.output_padding.h;
    case ShapeField::OutputPaddingW: return s.output_padding.w;
    case ShapeField::KernelH: return s.kernel.h;
    case ShapeField::KernelW: return s.kernel.w;
    case ShapeField::StrideH: return s.stride.h;
    case ShapeField::StrideW: return s.stride.w;
    case ShapeField::PaddingH: return s.padding.h;
    case ShapeField::PaddingW: return s.padding.w;
    case ShapeField::DilationH: return s.dilation.h;
    case ShapeField::DilationW: return s.dilation.w;
  }
  return 0;
}

void SetShapeFieldValue(Shape& s, ShapeField field, int value) {
  switch (field) {
    case ShapeField::Batch: s.batch = value; break;
    case ShapeField::Channels: s.channels = value; break;
    case ShapeField::Height: s.height = value; break;
    case ShapeField::Width: s.width = value; break;
    case ShapeField::Filters: s.filters = value; break;
    case ShapeField::Groups: s.groups = value; break;
    case ShapeField::OutputPaddingH: s.output_padding.h = value; break;
    case ShapeField::OutputPaddingW: s.output_padding.w = value; break;
    case ShapeField::KernelH: s.kernel.h = value; break;
    case ShapeField::KernelW: s.kernel.w = value; break;
    case ShapeField::StrideH: s.stride.h = value; break;
    case ShapeField::StrideW: s.stride.w = value; break;
    case ShapeField::PaddingH: s.padding.h = value; break;
    case ShapeField::PaddingW: s.padding.w = value; break;
    case ShapeField::DilationH: s.dilation.h = value; break;
    case ShapeField::DilationW: s.dilation.w = value; break;
  }
}

bool IsPairHalf(ShapeField field) {
  return field >= ShapeField::KernelH;
}
// The other half of a pair field (kernel height <-> kernel width).
ShapeField OtherHalf(ShapeField field) {
  const int index = static_cast<int>(field);
  const int first = static_cast<int>(ShapeField::KernelH);
  return static_cast<ShapeField>(first + (((index - first) ^ 1)));
}

void MakeSquare(Shape& shape) {
  for (ShapeField field : {ShapeField::KernelH, ShapeField::StrideH, ShapeField::PaddingH, ShapeField::DilationH,
                           ShapeField::OutputPaddingH}) {
    SetShapeFieldValue(shape, OtherHalf(field), GetShapeField(shape, field));
  }
}

}  // namespace im2col::gui
