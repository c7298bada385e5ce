// Google Benchmark micro-benchmarks of the optimised path's pieces (im2col, GEMM,
// col2im) and of whole forward / backward passes against the direct loops, in
// float32, at the chapter's two shapes: AlexNet conv1 (227x227x3, 96 filters 11x11,
// stride 4 -> X_col 363 x 3025) and the 4x4x3 K2 example (X_col 12 x 9).
//
//   build-bench/bench/im2col_bench --benchmark_filter=alexnet
//   build-bench/bench/im2col_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// The argument of every benchmark is the thread count of the im2col + GEMM path;
// the loops always run on one thread. Times are wall-clock (UseRealTime), since
// the work is spread over worker threads.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/fast_conv.h"
#include "im2col/im2col.h"
#include "im2col/scenario.h"
#include "im2col/timeline.h"

namespace im2col {
namespace {

Shape AlexNetConv1() {
  Shape s;
  s.channels = 3;
  s.height = s.width = 227;
  s.filters = 96;
  s.kernel = {11, 11};
  s.stride = {4, 4};
  return s;
}

Shape ChapterExample() { return Shape{}; }  // 4x4x3, K2 S1 P0, F1

// Random float32 tensors in [-1, 1] (fixed seed) and room for every result.
struct ConvData {
  explicit ConvData(const Shape& s) {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    auto fill = [&](std::vector<float>& v, Index count) {
      v.resize(static_cast<size_t>(count));
      for (float& x : v) x = uniform(rng);
    };
    const Index in_size = Index{s.batch} * s.channels * s.height * s.width;
    const Index out_size = Index{s.batch} * s.filters * s.OutHeight() * s.OutWidth();
    fill(input, in_size);
    fill(weights, s.filters * s.PatchSize());
    fill(bias, s.filters);
    fill(grad_output, out_size);
    output.resize(static_cast<size_t>(out_size));
    grad_input.resize(static_cast<size_t>(in_size));
    grad_weights.resize(weights.size());
    grad_bias.resize(bias.size());
  }
  std::vector<float> input, weights, bias, grad_output, output, grad_input, grad_weights, grad_bias;
};

double ForwardFlops(const Shape& s) { return 2.0 * static_cast<double>(ForwardMacs(s)); }

void SetFlops(benchmark::State& state, double flops_per_iteration) {
  state.counters["FLOP/s"] =
      benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BenchIm2Col(benchmark::State& state, Shape s) {
  ConvData d(s);
  FastConvolution<float> fast(s, Order::RowMajor, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    fast.Im2Col(d.input.data());
    benchmark::DoNotOptimize(fast.XCol().data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * XColBytes(s, sizeof(float)));
}

void BenchGemm(benchmark::State& state, Shape s) {
  ConvData d(s);
  FastConvolution<float> fast(s, Order::RowMajor, static_cast<int>(state.range(0)));
  fast.Im2Col(d.input.data());
  for (auto _ : state) {
    fast.Multiply(d.weights.data(), d.bias.data(), d.output.data());
    benchmark::DoNotOptimize(d.output.data());
    benchmark::ClobberMemory();
  }
  SetFlops(state, ForwardFlops(s));
}

void BenchCol2Im(benchmark::State& state, Shape s) {
  ConvData d(s);
  FastConvolution<float> fast(s, Order::RowMajor, static_cast<int>(state.range(0)));
  fast.Forward(d.input.data(), d.weights.data(), d.bias.data(), d.output.data());
  fast.Backward(d.weights.data(), d.grad_output.data(), d.grad_input.data(), nullptr, nullptr);
  for (auto _ : state) {
    fast.Col2Im(d.grad_input.data());
    benchmark::DoNotOptimize(d.grad_input.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * XColBytes(s, sizeof(float)));
}

void BenchLoopsForward(benchmark::State& state, Shape s) {
  ConvData d(s);
  for (auto _ : state) {
    DirectConvolution(d.input.data(), d.weights.data(), d.bias.data(), s, d.output.data());
    benchmark::DoNotOptimize(d.output.data());
    benchmark::ClobberMemory();
  }
  SetFlops(state, ForwardFlops(s));
}

void BenchIm2ColGemmForward(benchmark::State& state, Shape s) {
  ConvData d(s);
  FastConvolution<float> fast(s, Order::RowMajor, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    fast.Forward(d.input.data(), d.weights.data(), d.bias.data(), d.output.data());
    benchmark::DoNotOptimize(d.output.data());
    benchmark::ClobberMemory();
  }
  SetFlops(state, ForwardFlops(s));
}

void BenchLoopsBackward(benchmark::State& state, Shape s) {
  ConvData d(s);
  for (auto _ : state) {
    DirectConvolutionBackward(d.input.data(), d.weights.data(), d.grad_output.data(), s, d.grad_input.data(),
                              d.grad_weights.data(), d.grad_bias.data());
    benchmark::DoNotOptimize(d.grad_input.data());
    benchmark::ClobberMemory();
  }
  SetFlops(state, 2.0 * ForwardFlops(s));
}

void BenchIm2ColGemmBackward(benchmark::State& state, Shape s) {
  ConvData d(s);
  FastConvolution<float> fast(s, Order::RowMajor, static_cast<int>(state.range(0)));
  fast.Im2Col(d.input.data());
  for (auto _ : state) {
    fast.Backward(d.weights.data(), d.grad_output.data(), d.grad_input.data(), d.grad_weights.data(),
                  d.grad_bias.data());
    benchmark::DoNotOptimize(d.grad_input.data());
    benchmark::ClobberMemory();
  }
  SetFlops(state, 2.0 * ForwardFlops(s));
}

// What the window computes when a slider changes: core's whole double-precision
// Computation (forward, backward, overwrite col2im, overlap map) plus the Timeline.
// The GUI runs this on a worker thread; its time bounds the slider's latency.
void BenchGuiCompute(benchmark::State& state, Shape s) {
  Scenario scenario;
  scenario.shape = s;
  for (auto _ : state) {
    Computation c = Compute(scenario);
    Timeline timeline(scenario.shape);
    benchmark::DoNotOptimize(c.output.data.data());
    benchmark::DoNotOptimize(timeline.StepCount());
  }
}

void RegisterAll() {
  struct NamedShape {
    const char* name;
    Shape shape;
    benchmark::TimeUnit unit;
  };
  struct Phase {
    const char* name;
    void (*run)(benchmark::State&, Shape);
    bool threaded;
  };
  const NamedShape shapes[] = {{"alexnet_conv1", AlexNetConv1(), benchmark::kMillisecond},
                                {"chapter_4x4x3_k2", ChapterExample(), benchmark::kMicrosecond}};
  const Phase phases[] = {{"im2col", BenchIm2Col, true},
                          {"gemm", BenchGemm, true},
                          {"col2im", BenchCol2Im, true},
                          {"loops_forward", BenchLoopsForward, false},
                          {"im2col_gemm_forward", BenchIm2ColGemmForward, true},
                          {"loops_backward", BenchLoopsBackward, false},
                          {"im2col_gemm_backward", BenchIm2ColGemmBackward, true},
                          {"gui_compute_double", BenchGuiCompute, false}};
  for (const NamedShape& named : shapes) {
    for (const Phase& phase : phases) {
      const std::string name = std::string(phase.name) + "/" + named.name;
      auto* bench = benchmark::RegisterBenchmark(name.c_str(), phase.run, named.shape);
      bench->ArgName("threads")->UseRealTime()->Unit(named.unit);
      if (phase.threaded)
        bench->Arg(1)->Arg(2);
      else
        bench->Arg(1);
    }
  }
}

}  // namespace
}  // namespace im2col

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  im2col::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
