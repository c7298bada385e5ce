// `im2col-lab code`: a self-contained script (NumPy, PyTorch or Octave) that
// rebuilds the scenario and computes X_col, W_row, the output and the backward
// pass by itself, so a student can run, read and change it outside the app.
//
// The script embeds the exact tensor values core used (so `random` fills match),
// starts with LAYOUT and ORDER variables set to the scenario's, follows DESIGN's
// index semantics (padding, stride, dilation, batch, non-square) and prints the
// matrices as displayed for the layout (rows: X_row = X_col^T). Its last line is
//   JSON: {"layout": ..., "order": ..., "x_col": ..., "w_row": ..., "y_mat": ...,
//          "output": ..., "grad_x_col": ..., "grad_input": ..., "grad_weights": ...,
//          "grad_bias": ...}
// with the same keys and nesting as `compute --format json`, for tests (op transposed:
// "x_mat" instead of "y_mat"). Groups and the transposed operator (PyTorch's
// ConvTranspose2d) are generated too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "im2col/convolution.h"

namespace im2col::io {

enum class CodeLanguage { NumPy, PyTorch, Octave };
std::string ToString(CodeLanguage language);  // "numpy" | "pytorch" | "octave"
std::optional<CodeLanguage> ParseCodeLanguage(const std::string& name);
const std::vector<std::string>& CodeLanguageNames();

// The script's text (ends with a newline). `command_line` is quoted in the
// script's opening comment so the student knows how it was made; may be empty.
std::string GenerateCode(const Computation& computation, CodeLanguage language,
                         const std::string& command_line = {});

}  // namespace im2col::io
