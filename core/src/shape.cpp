#include "im2col/shape.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace im2col {
namespace {

// Extent of a dilated kernel along one axis: D*(K-1) + 1.
long long DilatedExtent(int kernel, int dilation) {
  return static_cast<long long>(dilation) * (static_cast<long long>(kernel) - 1) + 1;
}

int OutExtent(int size, int kernel, int stride, int padding, int dilation) {
  const long long span = static_cast<long long>(size) + 2LL * padding - DilatedExtent(kernel, dilation);
  if (span < 0 || stride < 1) return 0;
  return static_cast<int>(std::min<long long>(span / stride + 1, std::numeric_limits<int>::max()));
}

// Transposed output extent (H-1)*S - 2*P + D*(K-1) + OP + 1, 0 when below 1.
long long TransposedExtentWide(int size, int kernel, int stride, int padding, int dilation, int output_padding) {
  return (static_cast<long long>(size) - 1) * stride - 2LL * padding +
         static_cast<long long>(dilation) * (static_cast<long long>(kernel) - 1) + output_padding + 1;
}
int TransposedExtent(int size, int kernel, int stride, int padding, int dilation, int output_padding) {
  const long long extent = TransposedExtentWide(size, kernel, stride, padding, dilation, output_padding);
  if (extent < 1) return 0;
  return static_cast<int>(std::min<long long>(extent, std::numeric_limits<int>::max()));
}

std::string Plural(long long n, const char* word) {
  std::ostringstream os;
  os << n << ' ' << word << (n == 1 ? "" : "s");
  return os.str();
}

// Product of dimensions for the size queries: 0 when a dimension is < 1 (an invalid
// shape), saturating at the largest Index instead of overflowing (INT_MIN kernels).
Index DimensionProduct(std::initializer_list<long long> dims) {
  Index product = 1;
  for (long long d : dims) {
    if (d < 1) return 0;
    if (product > std::numeric_limits<Index>::max() / d) return std::numeric_limits<Index>::max();
    product *= d;
  }
  return product;
}

// Cells of a product of dimensions, saturating instead of overflowing.
double CellCount(std::initializer_list<double> dims) {
  double cells = 1.0;
  for (double d : dims) cells *= d;
  return cells;
}

// "3.2 GB", "512 MB": what a person reads in a message (1 GB = 2^30 bytes).
std::string ByteText(double bytes) {
  std::ostringstream os;
  constexpr double kGb = 1024.0 * 1024.0 * 1024.0, kMb = 1024.0 * 1024.0;
  os.setf(std::ios::fixed);
  if (bytes >= kGb) {
    const double gb = bytes / kGb;
    os.precision(gb == std::floor(gb) ? 0 : gb < 10 ? 2 : 1);
    os << gb << " GB";
  } else {
    os.precision(0);
    os << std::max(1.0, bytes / kMb) << " MB";
  }
  return os.str();
}

std::string Megabytes(double cells) {
  std::ostringstream os;
  os.precision(4);
  os << cells * sizeof(double) / (1024.0 * 1024.0) << " MB";
  return os.str();
}

}  // namespace

std::string FormatPair(const Pair& p) {
  if (p.h == p.w) return std::to_string(p.h);
  return std::to_string(p.h) + "x" + std::to_string(p.w);
}

std::string ToString(Op op) { return op == Op::Transposed ? "transposed" : "conv"; }

std::optional<Op> ParseOp(const std::string& text) {
  if (text == "conv") return Op::Conv;
  if (text == "transposed") return Op::Transposed;
  return std::nullopt;
}

int Shape::OutHeight() const {
  if (op == Op::Transposed) return TransposedExtent(height, kernel.h, stride.h, padding.h, dilation.h, output_padding.h);
  return OutExtent(height, kernel.h, stride.h, padding.h, dilation.h);
}
int Shape::OutWidth() const {
  if (op == Op::Transposed) return TransposedExtent(width, kernel.w, stride.w, padding.w, dilation.w, output_padding.w);
  return OutExtent(width, kernel.w, stride.w, padding.w, dilation.w);
}
int Shape::GridHeight() const { return op == Op::Transposed ? height : OutHeight(); }
int Shape::GridWidth() const { return op == Op::Transposed ? width : OutWidth(); }
int Shape::ImageHeight() const { return op == Op::Transposed ? OutHeight() : height; }
int Shape::ImageWidth() const { return op == Op::Transposed ? OutWidth() : width; }
int Shape::PatchChannels() const { return op == Op::Transposed ? filters : channels; }
Index Shape::PatchCount() const { return DimensionProduct({GridHeight(), GridWidth()}); }
Index Shape::PatchSize() const { return DimensionProduct({PatchChannels(), kernel.h, kernel.w}); }

int Shape::GroupOfWeightRow(Index row) const {
  const Index per_group = std::max<Index>(1, WeightRows() / std::max(1, groups));
  return static_cast<int>(row / per_group);
}
int Shape::GroupOfPatchChannel(int c) const {
  const int per_group = std::max(1, PatchChannels() / std::max(1, groups));
  return c / per_group;
}
Index Shape::ColumnCount() const { return DimensionProduct({batch, PatchCount()}); }

std::vector<std::string> Shape::Validate() const {
  std::vector<std::string> errors;
  auto at_least = [&](const char* field, long long value, long long minimum) {
    if (value < minimum) {
      errors.push_back(std::string(field) + " must be >= " + std::to_string(minimum) + ", got " +
                       std::to_string(value));
    } else if (value > kMaxDimension) {
      errors.push_back(std::string(field) + " must be <= " + std::to_string(kMaxDimension) + ", got " +
                       std::to_string(value));
    }
  };
  auto pair_at_least = [&](const char* field, const Pair& p, int minimum) {
    if (p.h < minimum || p.w < minimum) {
      errors.push_back(std::string(field) + " must be >= " + std::to_string(minimum) + ", got " +
                       std::to_string(p.h) + "x" + std::to_string(p.w));
    } else if (p.h > kMaxDimension || p.w > kMaxDimension) {
      errors.push_back(std::string(field) + " must be <= " + std::to_string(kMaxDimension) + ", got " +
                       std::to_string(p.h) + "x" + std::to_string(p.w));
    }
  };
  at_least("batch", batch, 1);
  at_least("channels", channels, 1);
  at_least("height", height, 1);
  at_least("width", width, 1);
  at_least("filters", filters, 1);
  pair_at_least("kernel", kernel, 1);
  pair_at_least("stride", stride, 1);
  pair_at_least("padding", padding, 0);
  pair_at_least("dilation", dilation, 1);
  at_least("groups", groups, 1);
  if (op == Op::Conv) {
    if (output_padding.h != 0 || output_padding.w != 0)
      errors.push_back("output_padding is only for op transposed, got " + FormatPair(output_padding) + " with op conv");
  } else {
    pair_at_least("output_padding", output_padding, 0);
  }
  const bool sizes_ok = errors.empty();
  if (groups >= 1 && groups <= kMaxDimension) {
    if (channels >= 1 && channels % groups != 0)
      errors.push_back("groups " + std::to_string(groups) + " must divide channels " + std::to_string(channels));
    if (filters >= 1 && filters % groups != 0)
      errors.push_back("groups " + std::to_string(groups) + " must divide filters " + std::to_string(filters));
  }
  // As PyTorch: an output padding must be smaller than the stride or the dilation of its
  // axis, or the extra rows would be a whole window's worth of pixels no input reaches.
  auto output_padding_rule = [&](const char* axis, int op_value, int s_value, int d_value) {
    if (op != Op::Transposed || op_value < 0 || op_value < s_value || op_value < d_value) return;
    errors.push_back("output_padding " + std::to_string(op_value) + " must be smaller than stride " +
                     std::to_string(s_value) + " or dilation " + std::to_string(d_value) + " (" + axis + ")");
  };
  output_padding_rule("height", output_padding.h, stride.h, dilation.h);
  output_padding_rule("width", output_padding.w, stride.w, dilation.w);
  // The fit rule needs only the sizes of its own axis; check it even when another
  // field (say batch) is broken, so every broken rule is reported at once.
  auto in_range = [](long long v, long long lo) { return v >= lo && v <= kMaxDimension; };
  const bool height_ok = in_range(height, 1) && in_range(kernel.h, 1) && in_range(dilation.h, 1) &&
                         in_range(padding.h, 0) && kernel.w >= 1 && dilation.w >= 1;
  const bool width_ok = in_range(width, 1) && in_range(kernel.w, 1) && in_range(dilation.w, 1) &&
                        in_range(padding.w, 0) && kernel.h >= 1 && dilation.h >= 1;

  // The dilated kernel must fit inside the padded input along each axis.
  auto fits = [&](const char* axis, int size, int pad, int k, int d) {
    const long long need = DilatedExtent(k, d);
    const long long have = static_cast<long long>(size) + 2LL * pad;
    if (have < need) {
      std::ostringstream os;
      os << "kernel " << kernel.h << "x" << kernel.w << " with dilation " << FormatPair(dilation) << " needs " << axis
         << " + 2*padding >= " << need << ", got " << size << " + 2*" << pad << " = " << have;
      errors.push_back(os.str());
    }
  };
  // The transposed output must have at least one pixel on each axis.
  auto transposed_fits = [&](const char* axis, int size, int k, int st, int pad, int d, int opad) {
    const long long extent = TransposedExtentWide(size, k, st, pad, d, opad);
    if (extent >= 1) return;
    std::ostringstream os;
    os << "transposed output " << axis << " (" << axis << " - 1)*stride - 2*padding + dilation*(kernel - 1) + "
       << "output_padding + 1 must be >= 1, got (" << size << " - 1)*" << st << " - 2*" << pad << " + " << d << "*("
       << k << " - 1) + " << opad << " + 1 = " << extent;
    errors.push_back(os.str());
  };
  if (op == Op::Transposed) {
    if (sizes_ok && height_ok && in_range(stride.h, 1))
      transposed_fits("height", height, kernel.h, stride.h, padding.h, dilation.h, output_padding.h);
    if (sizes_ok && width_ok && in_range(stride.w, 1))
      transposed_fits("width", width, kernel.w, stride.w, padding.w, dilation.w, output_padding.w);
  } else {
    if (height_ok) fits("height", height, padding.h, kernel.h, dilation.h);
    if (width_ok) fits("width", width, padding.w, kernel.w, dilation.w);
  }
  if (!sizes_ok || !errors.empty()) return errors;

  // Memory: every matrix and tensor must fit under the cap (computed in double: no overflow).
  const double n = batch, c = channels, h = height, w = width, f = filters;
  const double kh = kernel.h, kw = kernel.w, ho = OutHeight(), wo = OutWidth();
  const double r = static_cast<double>(PatchChannels()) * kh * kw;
  const double cols = n * static_cast<double>(GridHeight()) * GridWidth();
  const double weight_rows = static_cast<double>(WeightRows());
  auto cap = [&](const char* what, double rows, double columns, const char* dims) {
    const double cells = CellCount({rows, columns});
    if (cells > static_cast<double>(kMaxMatrixCells)) {
      std::ostringstream os;
      os.precision(12);
      os << what << " would be " << dims << " = " << cells << " values (" << Megabytes(cells)
         << "), more than the " << kMaxMatrixBytes / (1024 * 1024) << " MB limit";
      errors.push_back(os.str());
    }
  };
  {
    std::ostringstream dims;
    dims.precision(12);
    dims << r << " x " << cols;
    cap("X_col", r, cols, dims.str().c_str());
  }
  {
    std::ostringstream dims;
    dims.precision(12);
    dims << n << "x" << c << "x" << h << "x" << w;
    cap("input", n * c, h * w, dims.str().c_str());
  }
  {
    std::ostringstream dims;
    dims.precision(12);
    dims << weight_rows << " x " << r;
    cap("W_row", weight_rows, r, dims.str().c_str());
  }
  if (op == Op::Conv) {
    std::ostringstream dims;
    dims.precision(12);
    dims << f << " x " << cols;
    cap("Y", f, cols, dims.str().c_str());
  } else {
    // x_mat is C x N*L; the output N x F x HO x WO can be far larger than x_col when
    // the stride exceeds the kernel.
    std::ostringstream x_mat_dims, output_dims;
    x_mat_dims.precision(12);
    output_dims.precision(12);
    x_mat_dims << c << " x " << cols;
    cap("x_mat", c, cols, x_mat_dims.str().c_str());
    output_dims << n << "x" << f << "x" << ho << "x" << wo;
    cap("output", n * f, ho * wo, output_dims.str().c_str());
  }
  // The budget for the whole scenario, once no single matrix is over its own cap (that
  // message names the matrix, which says more).
  const double needed = MemoryBytes();
  if (errors.empty() && needed > static_cast<double>(kMaxScenarioBytes)) {
    std::string need = ByteText(needed), limit = ByteText(static_cast<double>(kMaxScenarioBytes));
    if (needed < 2.0 * static_cast<double>(kMaxScenarioBytes)) {  // just over: "1025 MB", not "1.00 GB"
      std::ostringstream os;
      os << std::fixed << std::setprecision(0) << std::ceil(needed / (1024.0 * 1024.0)) << " MB";
      need = os.str();
    }
    errors.push_back("this scenario needs " + need +
                     " of memory (every tensor and matrix of the forward and backward pass); the limit is " + limit +
                     " (make it smaller: fewer channels, filters or images, or a smaller image or kernel)");
  }
  return errors;
}

double Shape::MemoryBytes() const {
  if (batch < 1 || channels < 1 || height < 1 || width < 1 || filters < 1 || groups < 1) return 0.0;
  const double n = batch, c = channels, h = height, w = width, f = filters;
  const double ho = std::max(OutHeight(), 0), wo = std::max(OutWidth(), 0);
  const double r = static_cast<double>(PatchChannels()) * kernel.h * kernel.w;
  const double cols = n * static_cast<double>(std::max(GridHeight(), 0)) * std::max(GridWidth(), 0);
  const double image = n * c * h * w, outputs = n * f * ho * wo, patches = r * cols;
  const double w_row = static_cast<double>(WeightRows()) * r, weights = w_row / groups;
  // Y_mat and dY_mat (F x N*L) for conv; x_mat (C x N*L) for the transposed conv.
  const double mats = op == Op::Transposed ? c * cols : 2.0 * f * cols;
  constexpr double kDouble = sizeof(double), kFloat = sizeof(float), kInt = sizeof(int);
  const double overlap = static_cast<double>(std::max(ImageHeight(), 0)) * std::max(ImageWidth(), 0);
  // The image col2im writes into (dX; the output for the transposed conv). A col2im step's
  // frame (StateAt) keeps its sums so far, overwritten values and counts as doubles, and
  // the window keeps copies of the sums and of one count plane for numbers and hover.
  const double col2im_image = n * std::max(PatchChannels(), 0) * overlap;
  const double col2im_frame = 3 * col2im_image + col2im_image + n * overlap;
  const double doubles = 3 * image        // input, grad_input, grad_input_overwrite
                         + 2 * patches    // X_col, dX_col
                         + 2 * outputs    // output, grad_output
                         + mats           // Y_mat, dY_mat (conv) or x_mat (transposed)
                         + 2 * w_row      // W_row, dW_row
                         + 2 * weights    // weights, grad_weights
                         + 2 * f          // bias, grad_bias
                         + image + weights + outputs  // the scenario's own values
                         + col2im_frame;
  // The window's textures, one float a cell: every matrix and plane the stage can show.
  const double floats = 2 * patches + mats + 2 * image + 2 * outputs + n * overlap;
  // The window draws an image plane inside its padding ring: (H + 2PH) x (W + 2PW) cells
  // as values, padding flags and texels (one float). A huge padding around a small image costs here.
  const double padded_plane = (h + 2.0 * std::max(padding.h, 0)) * (w + 2.0 * std::max(padding.w, 0));
  constexpr double kPaddedCellBytes = sizeof(double) + 1 + sizeof(float);
  return doubles * kDouble + floats * kFloat + overlap * kInt + padded_plane * kPaddedCellBytes;
}

int Shape::UnvisitedRows() const {
  if (op == Op::Transposed || !IsValid()) return 0;
  // Last image row any window touches: (HO-1)*SH - PH + DH*(KH-1).
  const long long last = static_cast<long long>(OutHeight() - 1) * stride.h - padding.h +
                         static_cast<long long>(dilation.h) * (kernel.h - 1);
  const long long unvisited = static_cast<long long>(height) - 1 - last;
  return unvisited > 0 ? static_cast<int>(unvisited) : 0;
}

int Shape::UnvisitedCols() const {
  if (op == Op::Transposed || !IsValid()) return 0;
  const long long last = static_cast<long long>(OutWidth() - 1) * stride.w - padding.w +
                         static_cast<long long>(dilation.w) * (kernel.w - 1);
  const long long unvisited = static_cast<long long>(width) - 1 - last;
  return unvisited > 0 ? static_cast<int>(unvisited) : 0;
}

std::vector<std::string> Shape::Notes() const {
  std::vector<std::string> notes;
  if (!IsValid()) return notes;
  if (groups > 1) {
    std::ostringstream os;
    os << groups << " groups: each filter sees " << channels / groups << " of the " << channels
       << " input channels, so W_row is block-diagonal";
    if (groups == channels) os << " (depthwise)";
    notes.push_back(os.str());
  }
  if (op == Op::Transposed) {
    const bool overlap = stride.h < DilatedExtent(kernel.h, dilation.h) || stride.w < DilatedExtent(kernel.w, dilation.w);
    notes.push_back(overlap ? "transposed: each input pixel scatters a kernel-sized window into the output, and "
                              "windows overlap where the stride is smaller than the kernel, so their values add up"
                            : "transposed: each input pixel scatters a kernel-sized window into the output; "
                              "windows do not overlap");
    return notes;
  }
  auto remainder_note = [&](const char* axis, const char* rows, const char* lost_noun, int size, int pad, int k, int d, int s,
                            int unvisited) {
    const long long span = static_cast<long long>(size) + 2LL * pad - DilatedExtent(k, d);
    if (span % s == 0) return;
    std::ostringstream os;
    os << "stride " << s << " does not divide " << axis << " + 2*padding - " << DilatedExtent(k, d) << " = "
       << span << ": the last " << Plural(span % s, rows) << " of the padded input "
       << (span % s == 1 ? "is" : "are") << " never visited";
    if (unvisited > 0) os << " (" << Plural(unvisited, lost_noun) << " never used)";
    os << "; the output size is floored, as in PyTorch";
    notes.push_back(os.str());
  };
  remainder_note("height", "row", "input row", height, padding.h, kernel.h, dilation.h, stride.h, UnvisitedRows());
  remainder_note("width", "column", "input column", width, padding.w, kernel.w, dilation.w, stride.w, UnvisitedCols());
  const bool overlap_h = stride.h < DilatedExtent(kernel.h, dilation.h) && OutHeight() > 1;
  const bool overlap_w = stride.w < DilatedExtent(kernel.w, dilation.w) && OutWidth() > 1;
  // Dilation gaps can interleave windows without sharing pixels; the exact test is in OverlapCounts.
  if (!overlap_h && !overlap_w) {
    notes.push_back("windows do not overlap: each input pixel is copied at most once, so col2im's sum "
                    "and an overwrite give the same result");
  }
  return notes;
}

bool operator==(const Shape& a, const Shape& b) {
  return a.batch == b.batch && a.channels == b.channels && a.height == b.height && a.width == b.width &&
         a.filters == b.filters && a.kernel == b.kernel && a.stride == b.stride && a.padding == b.padding &&
         a.dilation == b.dilation && a.groups == b.groups && a.op == b.op && a.output_padding == b.output_padding;
}

}  // namespace im2col
