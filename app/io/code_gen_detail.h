// Pieces shared by the three script generators of code_gen.cpp (internal to io).
#pragma once

#include <string>
#include <vector>

#include "im2col/convolution.h"

namespace im2col::io::code_gen_detail {

// Opening comment: what the script is, the scenario in words, core's notes
// (e.g. rows the stride never reaches) and how to run it. Every line starts
// with `comment` ("#" or "%").
std::string DescribeScenario(const Computation& c, const std::string& comment, const std::string& language_title,
                             const std::string& command_line, const std::string& run_hint);

// Python: the shape block (N, C, H, W, F, KH, ... LAYOUT, ORDER, HO, WO, L, R).
std::string PythonShapeBlock(const Computation& c);
// Python nested list literal of a tensor, one innermost row per line, a comment
// naming each outer slice, e.g. outer "image", inner "channel".
std::string PythonTensorLiteral(const Tensor4& t, const char* outer_name, const char* inner_name);
std::string PythonListLiteral(const std::vector<double>& values);

// The transposed operator's fixed Python texts (code_gen_transposed.cpp): its printing
// and JSON line (x_mat instead of y_mat) and its NumPy and PyTorch algorithms.
const char* PythonTransposedReport();
const char* NumPyTransposedAlgorithm();
const char* PyTorchTransposedAlgorithm();

// The whole scripts.
std::string NumPyScript(const Computation& c, const std::string& header);
std::string PyTorchScript(const Computation& c, const std::string& header);
std::string OctaveScript(const Computation& c, const std::string& header);

}  // namespace im2col::io::code_gen_detail
