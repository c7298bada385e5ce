// The conv whose dX path a transposed convolution runs, and the zero-insertion road.
#include "im2col/equivalence.h"

#include <algorithm>
#include <cmath>

namespace im2col {

std::optional<Scenario> MatchingConv(const Scenario& t, std::string* why) {
  const Shape& s = t.shape;
  Scenario conv = t;
  conv.title = "the conv whose dX path this transposed convolution is";
  Shape& c = conv.shape;
  c.op = Op::Conv;
  c.output_padding = Pair{0, 0};
  c.channels = s.filters;
  c.filters = s.channels;
  c.height = s.OutHeight();
  c.width = s.OutWidth();
  const std::vector<std::string> shape_problems = c.Validate();
  if (!shape_problems.empty()) {
    if (why != nullptr) *why = shape_problems.front();
    return std::nullopt;
  }
  if (c.OutHeight() != s.height || c.OutWidth() != s.width) {
    if (why != nullptr) {
      *why = "the matching conv gives a " + std::to_string(c.OutHeight()) + "x" + std::to_string(c.OutWidth()) +
             " output, not the transposed input's " + std::to_string(s.height) + "x" + std::to_string(s.width);
    }
    return std::nullopt;
  }
  conv.weights.values = GenerateValues(t, TensorRole::Weights);
  conv.grad_output.values = GenerateValues(t, TensorRole::Input);
  conv.input.values.clear();
  conv.input.fill = Fill::Zeros;  // dX does not depend on the input
  conv.bias.values.clear();
  conv.bias.fill = Fill::Zeros;
  const std::vector<std::string> problems = conv.Validate();
  if (!problems.empty()) {
    if (why != nullptr) *why = problems.front();
    return std::nullopt;
  }
  return conv;
}

ZeroInsertion ZeroInsertionRoad(const Computation& t) {
  const Shape& s = t.shape;
  ZeroInsertion z;
  z.inserted_border = Pair{s.dilation.h * (s.kernel.h - 1) - s.padding.h, s.dilation.w * (s.kernel.w - 1) - s.padding.w};
  const int bh = z.inserted_border.h, bw = z.inserted_border.w;
  // Zero-inserted extent (H-1)*S+1, a border on both sides, output padding at the end.
  const int hd = (s.height - 1) * s.stride.h + 1 + 2 * bh + s.output_padding.h;
  const int wd = (s.width - 1) * s.stride.w + 1 + 2 * bw + s.output_padding.w;
  z.dilated = Tensor4(s.batch, s.channels, std::max(hd, 0), std::max(wd, 0));
  for (int n = 0; n < s.batch; ++n)
    for (int ch = 0; ch < s.channels; ++ch)
      for (int y = 0; y < s.height; ++y)
        for (int x = 0; x < s.width; ++x) {
          const int dy = y * s.stride.h + bh, dx = x * s.stride.w + bw;
          if (dy >= 0 && dy < z.dilated.h && dx >= 0 && dx < z.dilated.w) z.dilated(n, ch, dy, dx) = t.input(n, ch, y, x);
        }
  const int c_per = s.channels / s.groups, f_per = s.filters / s.groups;
  z.flipped_weights = Tensor4(s.filters, c_per, s.kernel.h, s.kernel.w);
  for (int f = 0; f < s.filters; ++f) {
    const int g = f / f_per;
    for (int ci = 0; ci < c_per; ++ci)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx)
          z.flipped_weights(f, ci, ky, kx) = t.weights(g * c_per + ci, f - g * f_per, s.kernel.h - 1 - ky, s.kernel.w - 1 - kx);
  }
  const int ho = s.OutHeight(), wo = s.OutWidth();
  z.output = Tensor4(s.batch, s.filters, ho, wo);
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f) {
      const int g = f / f_per;
      for (int oy = 0; oy < ho; ++oy)
        for (int ox = 0; ox < wo; ++ox) {
          double sum = t.bias.empty() ? 0.0 : t.bias[static_cast<size_t>(f)];
          for (int ci = 0; ci < c_per; ++ci)
            for (int ky = 0; ky < s.kernel.h; ++ky)
              for (int kx = 0; kx < s.kernel.w; ++kx) {
                const int y = oy + ky * s.dilation.h, x = ox + kx * s.dilation.w;
                if (y < z.dilated.h && x < z.dilated.w)
                  sum += z.dilated(n, g * c_per + ci, y, x) * z.flipped_weights(f, ci, ky, kx);
              }
          z.output(n, f, oy, ox) = sum;
        }
    }
  return z;
}

bool SameCells(const Tensor4& a, const Tensor4& b, double tolerance) {
  if (a.n != b.n || a.c != b.c || a.h != b.h || a.w != b.w) return false;
  for (size_t k = 0; k < a.data.size(); ++k) {
    const double scale = std::max({1.0, std::fabs(a.data[k]), std::fabs(b.data[k])});
    if (std::fabs(a.data[k] - b.data[k]) > tolerance * scale) return false;
  }
  return true;
}

}  // namespace im2col
