#include "im2col/scenario.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace im2col {

std::string ToString(Fill fill) {
  switch (fill) {
    case Fill::Ramp: return "ramp";
    case Fill::Random: return "random";
    case Fill::Ones: return "ones";
    case Fill::Zeros: return "zeros";
  }
  return "ramp";
}

std::optional<Fill> ParseFill(const std::string& text) {
  if (text == "ramp") return Fill::Ramp;
  if (text == "random") return Fill::Random;
  if (text == "ones") return Fill::Ones;
  if (text == "zeros") return Fill::Zeros;
  return std::nullopt;
}

std::string ToString(TensorRole role) {
  switch (role) {
    case TensorRole::Input: return "input";
    case TensorRole::Weights: return "weights";
    case TensorRole::Bias: return "bias";
    case TensorRole::GradOutput: return "grad_output";
  }
  return "input";
}

const TensorSource& Scenario::Source(TensorRole role) const {
  switch (role) {
    case TensorRole::Input: return input;
    case TensorRole::Weights: return weights;
    case TensorRole::Bias: return bias;
    case TensorRole::GradOutput: return grad_output;
  }
  return input;
}

TensorSource& Scenario::Source(TensorRole role) {
  return const_cast<TensorSource&>(static_cast<const Scenario&>(*this).Source(role));
}

WeightDims WeightDimsOf(const Shape& s) {
  const int groups = std::max(1, s.groups);
  if (s.op == Op::Transposed) return WeightDims{s.channels, s.filters / groups};
  return WeightDims{s.filters, s.channels / groups};
}

Tensor4 EmptyTensor(const Shape& s, TensorRole role) {
  switch (role) {
    case TensorRole::Input: return Tensor4(s.batch, s.channels, s.height, s.width);
    case TensorRole::Weights: {
      const WeightDims d = WeightDimsOf(s);
      return Tensor4(d.outer, d.inner, s.kernel.h, s.kernel.w);
    }
    case TensorRole::Bias: return Tensor4(1, 1, 1, s.filters);
    case TensorRole::GradOutput: return Tensor4(s.batch, s.filters, s.OutHeight(), s.OutWidth());
  }
  return Tensor4();
}

Index TensorSize(const Shape& s, TensorRole role) {
  switch (role) {
    case TensorRole::Input: return Index{s.batch} * s.channels * s.height * s.width;
    case TensorRole::Weights: {
      const WeightDims d = WeightDimsOf(s);
      return Index{d.outer} * d.inner * s.kernel.h * s.kernel.w;
    }
    case TensorRole::Bias: return s.filters;
    case TensorRole::GradOutput: return Index{s.batch} * s.filters * s.OutHeight() * s.OutWidth();
  }
  return 0;
}

namespace {

std::string Dims(const Shape& s, TensorRole role) {
  std::ostringstream os;
  switch (role) {
    case TensorRole::Input: os << s.batch << "x" << s.channels << "x" << s.height << "x" << s.width; break;
    case TensorRole::Weights: {
      const WeightDims d = WeightDimsOf(s);
      os << d.outer << "x" << d.inner << "x" << s.kernel.h << "x" << s.kernel.w;
      break;
    }
    case TensorRole::Bias: os << s.filters; break;
    case TensorRole::GradOutput:
      os << s.batch << "x" << s.filters << "x" << s.OutHeight() << "x" << s.OutWidth();
      break;
  }
  return os.str();
}

// SplitMix64: tiny, portable and identical on every platform (std distributions are not).
std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<double> GenerateValues(const Scenario& sc, TensorRole role) {
  const TensorSource& source = sc.Source(role);
  if (source.HasValues()) return source.values;
  const Index count = TensorSize(sc.shape, role);
  std::vector<double> values(static_cast<size_t>(count));
  switch (source.fill) {
    case Fill::Ramp:
      for (Index i = 0; i < count; ++i) values[static_cast<size_t>(i)] = static_cast<double>(i + 1);
      break;
    case Fill::Ones: std::fill(values.begin(), values.end(), 1.0); break;
    case Fill::Zeros: std::fill(values.begin(), values.end(), 0.0); break;
    case Fill::Random: {
      std::uint64_t state = sc.seed * 0x100000001B3ULL + static_cast<std::uint64_t>(role) + 1;
      for (double& v : values) v = static_cast<double>(static_cast<int>(SplitMix64(state) % 9) - 4);
      break;
    }
  }
  return values;
}

std::vector<std::string> Scenario::Validate() const {
  std::vector<std::string> errors = shape.Validate();
  if (!errors.empty()) return errors;
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
    const TensorSource& source = Source(role);
    if (!source.HasValues()) continue;
    const Index expected = TensorSize(shape, role);
    if (static_cast<Index>(source.values.size()) != expected) {
      errors.push_back(ToString(role) + " values: expected " + std::to_string(expected) + " numbers (" +
                       Dims(shape, role) + "), got " + std::to_string(source.values.size()));
      continue;
    }
    for (size_t i = 0; i < source.values.size(); ++i) {
      const double v = source.values[i];
      if (!std::isfinite(v) || std::fabs(v) > kMaxAbsValue) {
        std::ostringstream os;
        os << ToString(role) << " values[" << i << "]: must be a finite number of magnitude at most 1e12, got "
           << v;
        errors.push_back(os.str());
        break;
      }
    }
  }
  return errors;
}

bool operator==(const Scenario& a, const Scenario& b) {
  return a.title == b.title && a.shape == b.shape && a.layout == b.layout && a.order == b.order &&
         a.input == b.input && a.weights == b.weights && a.bias == b.bias && a.grad_output == b.grad_output &&
         a.seed == b.seed;
}

}  // namespace im2col
