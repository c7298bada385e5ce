// Matrices and whole computations as text for people and programs: an aligned
// plain-text report, CSV, LaTeX (bmatrix) and Markdown tables, plus the JSON that
// `compute --format json` prints (DESIGN "Command line").
//
// Numbers: integer values always print as integers ("47", never "47.0"). Otherwise
// readable formats use up to 6 significant digits and CSV/JSON the shortest text
// that reads back to the same double.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "im2col/convolution.h"

namespace im2col::io {

enum class TextFormat { Text, Csv, Latex, Markdown };
std::string ToString(TextFormat format);  // "text" | "csv" | "latex" | "markdown"
std::optional<TextFormat> ParseTextFormat(const std::string& name);

// "47", "-0.5", "0.333333" (6 significant digits).
std::string FormatReadableNumber(double value);
// "47", "-0.5", "0.33333333333333331" (round-trips); "null" for NaN or infinity,
// which valid scenarios never produce.
std::string FormatExactNumber(double value);

// One matrix with optional labels (empty vectors: no labels). `name` titles it.
struct LabelledMatrix {
  std::string name;                        // "x_col", "input[n=0,c=1]"
  std::string caption;                     // "4 x 4, rows (c,ky,kx), columns (n,oy,ox)"
  std::vector<std::string> row_labels;     // size rows() or empty
  std::vector<std::string> column_labels;  // size cols() or empty
  Matrix values;
};

// Any single matrix in a format (used by the GUI's export too). Text and Markdown
// show labels as a header row and a first column; CSV puts them in the first row
// and column (quoted) when present; LaTeX writes a bare bmatrix named `name`.
std::string FormatMatrix(const LabelledMatrix& matrix, TextFormat format);

// A matrix of the computation as displayed for its layout and order, labelled with
// (c,ky,kx) for patch offsets, (n,oy,ox) for patches and f=0.. for filters.
LabelledMatrix DisplayedMatrix(const Computation& c, MatrixId id);
// The same matrix in a format, written straight from the computation: no label lists
// and no transposed copy (the window's export of a large X_col needs only the text).
std::string FormatDisplayedMatrix(const Computation& c, MatrixId id, TextFormat format);
// ... written to `out` a cell at a time (the window's "Save text": a file of any size,
// never the whole text in memory).
void WriteDisplayedMatrix(const Computation& c, MatrixId id, TextFormat format, std::ostream& out);

// The whole computation in a text format: a short header (title, shape, sizes,
// notes) then every block (input, weights, bias, x_col, w_row, y_mat, output,
// grad_output, grad_x_col, grad_input, grad_weights, grad_bias, overlap; tensors as
// one H x W block per (n, c) slice). WriteComputation streams: it writes a cell at a
// time and keeps no copy of the numbers or labels, so its memory does not grow with
// the computation; FormatComputation returns the same text as a string (small ones).
void WriteComputation(const Computation& c, TextFormat format, std::ostream& out);
std::string FormatComputation(const Computation& c, TextFormat format);

// `compute --format json`: exactly DESIGN's keys, tensors as nested arrays,
// matrices as lists of rows as displayed. Streams (no DOM, no transposed copy).
void WriteComputationJson(const Computation& c, std::ostream& out);

}  // namespace im2col::io
