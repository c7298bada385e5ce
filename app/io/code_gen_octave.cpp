// The GNU Octave script of `im2col-lab code`: plain loops with the app's 0-based
// indices (Octave arrays are 1-based, hence every "+ 1" when indexing). The
// scenario is generated; the algorithm is fixed text driven by the struct `s`.
#include <sstream>

#include "io/code_gen_detail.h"
#include "io/matrix_format.h"

namespace im2col::io::code_gen_detail {

namespace {

const char* const kOctaveFunctions = R"OCT(
1;  % marks this file as a script, so the functions below can live in it

% ---- How indices are numbered (the app's "Orders"); all indices 0-based -----
function r = row_index(s, c, ky, kx)
  % Row r of X_col that holds kernel tap (ky, kx) of channel c.
  if strcmp(s.order, 'row-major')
    r = (c * s.KH + ky) * s.KW + kx;
  else
    r = (c * s.KW + kx) * s.KH + ky;
  endif
endfunction

function j = column_index(s, n, oy, ox)
  % Column j of X_col that holds the patch of output position (oy, ox) of image n.
  if strcmp(s.order, 'row-major')
    j = n * s.L + oy * s.WO + ox;
  else
    j = n * s.L + ox * s.HO + oy;
  endif
endfunction

% ---- im2col and its adjoint col2im ------------------------------------------
function x_col = im2col(s, inputs)
  % Copy every receptive field into one column of X_col (R x N*L).
  x_col = zeros(s.R, s.N * s.L);
  for n = 0:s.N-1
    for oy = 0:s.HO-1
      for ox = 0:s.WO-1
        j = column_index(s, n, oy, ox);
        for c = 0:s.C-1
          for ky = 0:s.KH-1
            for kx = 0:s.KW-1
              % The input pixel under this kernel tap (may be in the zero padding).
              y = oy * s.SH - s.PH + ky * s.DH;
              x = ox * s.SW - s.PW + kx * s.DW;
              if y >= 0 && y < s.H && x >= 0 && x < s.W
                x_col(row_index(s, c, ky, kx) + 1, j + 1) = inputs(n + 1, c + 1, y + 1, x + 1);
              endif
            endfor
          endfor
        endfor
      endfor
    endfor
  endfor
endfunction

function image = col2im(s, x_col)
  % ADD every cell back into the pixel it was copied from. Where patches overlap
  % a pixel receives several values; summing them is what makes this the gradient.
  image = zeros(s.N, s.C, s.H, s.W);
  for n = 0:s.N-1
    for oy = 0:s.HO-1
      for ox = 0:s.WO-1
        j = column_index(s, n, oy, ox);
        for c = 0:s.C-1
          for ky = 0:s.KH-1
            for kx = 0:s.KW-1
              y = oy * s.SH - s.PH + ky * s.DH;
              x = ox * s.SW - s.PW + kx * s.DW;
              if y >= 0 && y < s.H && x >= 0 && x < s.W
                image(n + 1, c + 1, y + 1, x + 1) = image(n + 1, c + 1, y + 1, x + 1) ...
                    + x_col(row_index(s, c, ky, kx) + 1, j + 1);
              endif
            endfor
          endfor
        endfor
      endfor
    endfor
  endfor
endfunction

% ---- Filters <-> W_row, output tensor <-> matrix -----------------------------
function w_row = flatten_filters(s, weights)
  % Filter f becomes row f of W_row (F x R), its taps in X_col's row order. With
  % G groups filter f sees only its group's C/G channels: W_row is block-diagonal.
  w_row = zeros(s.F, s.R);
  for f = 0:s.F-1
    for ci = 0:s.C/s.G-1
      c = floor(f / (s.F / s.G)) * (s.C / s.G) + ci;  % channel ci of f's group
      for ky = 0:s.KH-1
        for kx = 0:s.KW-1
          w_row(f + 1, row_index(s, c, ky, kx) + 1) = weights(f + 1, ci + 1, ky + 1, kx + 1);
        endfor
      endfor
    endfor
  endfor
endfunction

function weights = unflatten_filters(s, w_row)
  weights = zeros(s.F, s.C / s.G, s.KH, s.KW);
  for f = 0:s.F-1
    for ci = 0:s.C/s.G-1
      c = floor(f / (s.F / s.G)) * (s.C / s.G) + ci;
      for ky = 0:s.KH-1
        for kx = 0:s.KW-1
          weights(f + 1, ci + 1, ky + 1, kx + 1) = w_row(f + 1, row_index(s, c, ky, kx) + 1);
        endfor
      endfor
    endfor
  endfor
endfunction

function tensor = to_tensor(s, matrix)
  % The reshape step: F x N*L -> N x F x HO x WO (row f is output channel f).
  tensor = zeros(s.N, s.F, s.HO, s.WO);
  for n = 0:s.N-1
    for f = 0:s.F-1
      for oy = 0:s.HO-1
        for ox = 0:s.WO-1
          tensor(n + 1, f + 1, oy + 1, ox + 1) = matrix(f + 1, column_index(s, n, oy, ox) + 1);
        endfor
      endfor
    endfor
  endfor
endfunction

function matrix = to_matrix(s, tensor)
  % The inverse of to_tensor: N x F x HO x WO -> F x N*L.
  matrix = zeros(s.F, s.N * s.L);
  for n = 0:s.N-1
    for f = 0:s.F-1
      for oy = 0:s.HO-1
        for ox = 0:s.WO-1
          matrix(f + 1, column_index(s, n, oy, ox) + 1) = tensor(n + 1, f + 1, oy + 1, ox + 1);
        endfor
      endfor
    endfor
  endfor
endfunction

% ---- Printing as JSON (full precision) ---------------------------------------
function text = json_list(values)
  parts = arrayfun(@(v) sprintf('%.17g', v), values(:).', 'UniformOutput', false);
  text = ['[', strjoin(parts, ', '), ']'];
endfunction

function text = json_matrix(m)
  parts = cell(1, size(m, 1));
  for i = 1:size(m, 1)
    parts{i} = json_list(m(i, :));
  endfor
  text = ['[', strjoin(parts, ', '), ']'];
endfunction

function text = json_tensor4(t, dims)
  % dims is passed because size() drops trailing dimensions of length 1.
  outer = cell(1, dims(1));
  for a = 1:dims(1)
    inner = cell(1, dims(2));
    for b = 1:dims(2)
      inner{b} = json_matrix(reshape(t(a, b, :, :), dims(3), dims(4)));
    endfor
    outer{a} = ['[', strjoin(inner, ', '), ']'];
  endfor
  text = ['[', strjoin(outer, ', '), ']'];
endfunction
)OCT";

const char* const kOctaveMain = R"OCT(
% ---- Forward: im2col, flatten the filters, multiply, reshape -----------------
x_col = im2col(s, inputs);              % R x N*L
w_row = flatten_filters(s, weights);    % F x R
y_mat = w_row * x_col + bias(:);        % F x N*L: one dot product per output value
output = to_tensor(s, y_mat);           % N x F x HO x WO

% ---- Backward: given grad_output = dLoss/dOutput -----------------------------
dy_mat = to_matrix(s, grad_output);     % F x N*L, the same columns as Y_mat
grad_w_row = dy_mat * x_col';           % F x R
grad_weights = unflatten_filters(s, grad_w_row);
grad_bias = sum(dy_mat, 2)';            % a bias touches every column of its row
grad_x_col = w_row' * dy_mat;           % R x N*L
grad_input = col2im(s, grad_x_col);     % N x C x H x W, summed where patches overlap

% ---- Print the results, as displayed in the chosen layout --------------------
if strcmp(s.layout, 'columns')
  shown_x_col = x_col;  shown_y_mat = y_mat;  shown_grad_x_col = grad_x_col;
  printf('X_col = im2col(input)  (%d x %d)\n', rows(x_col), columns(x_col));
else
  shown_x_col = x_col';  shown_y_mat = y_mat';  shown_grad_x_col = grad_x_col';
  printf('X_row = X_col''  (%d x %d)\n', rows(shown_x_col), columns(shown_x_col));
endif
disp(shown_x_col);
printf('W_row  (%d x %d)\n', rows(w_row), columns(w_row));
disp(w_row);
printf('Y_mat as displayed  (%d x %d)\n', rows(shown_y_mat), columns(shown_y_mat));
disp(shown_y_mat);
printf('output(n, f, :, :) for each image n and filter f\n');
for n = 1:s.N
  for f = 1:s.F
    printf('output(%d, %d, :, :) =\n', n, f);
    disp(reshape(output(n, f, :, :), s.HO, s.WO));
  endfor
endfor

% One machine-readable line, with the keys of `im2col-lab compute --format json`.
printf('JSON: {"layout": "%s", "order": "%s", "x_col": %s, "w_row": %s, "y_mat": %s, "output": %s, ', ...
       s.layout, s.order, json_matrix(shown_x_col), json_matrix(w_row), json_matrix(shown_y_mat), ...
       json_tensor4(output, [s.N, s.F, s.HO, s.WO]));
printf('"grad_x_col": %s, "grad_input": %s, "grad_weights": %s, "grad_bias": %s}\n', ...
       json_matrix(shown_grad_x_col), json_tensor4(grad_input, [s.N, s.C, s.H, s.W]), ...
       json_tensor4(grad_weights, [s.F, s.C / s.G, s.KH, s.KW]), json_list(grad_bias));
)OCT";

// A transposed convolution with the same functions on swapped sizes: its col2im and
// im2col work on the output image (F channels, HO x WO) with one window per input
// pixel; x_mat is the input laid out like Y_mat; W_row has one row per input channel.
const char* const kOctaveTransposedMain = R"OCT(
% ---- The same functions, with the roles of the sizes swapped -----------------
g = s;  % im2col / col2im: the "image" is the output, one window per input pixel
g.C = s.F; g.H = s.HO; g.W = s.WO; g.HO = s.H; g.WO = s.W;
m = s;  % to_matrix / to_tensor: C input channels over the H x W input grid
m.F = s.C; m.HO = s.H; m.WO = s.W;
w = s;  % flatten_filters: rows are input channels, taps are (f, ky, kx)
w.F = s.C; w.C = s.F;

% ---- Forward: x_mat, flatten the filters, multiply, col2im ------------------
x_mat = to_matrix(m, inputs);           % C x N*L, one column per input pixel
w_row = flatten_filters(w, weights);    % C x R, block-diagonal with groups
x_col = w_row' * x_mat;                 % R x N*L: one dot product per cell
output = col2im(g, x_col);              % N x F x HO x WO, ADDED where windows overlap
for f = 1:s.F
  output(:, f, :, :) = output(:, f, :, :) + bias(f);
endfor

% ---- Backward: given grad_output = dLoss/dOutput -----------------------------
grad_x_col = im2col(g, grad_output);    % R x N*L: an ordinary im2col of dY
grad_input = to_tensor(m, w_row * grad_x_col);  % the forward pass of a convolution of dY
grad_w_row = x_mat * grad_x_col';       % C x R
grad_weights = unflatten_filters(w, grad_w_row);
grad_bias = reshape(sum(sum(sum(grad_output, 1), 3), 4), 1, s.F);

% ---- Print the results, as displayed in the chosen layout --------------------
if strcmp(s.layout, 'columns')
  shown_x_mat = x_mat;  shown_x_col = x_col;  shown_grad_x_col = grad_x_col;
else
  shown_x_mat = x_mat';  shown_x_col = x_col';  shown_grad_x_col = grad_x_col';
endif
printf('x_mat as displayed  (%d x %d)\n', rows(shown_x_mat), columns(shown_x_mat));
disp(shown_x_mat);
printf('W_row  (%d x %d)\n', rows(w_row), columns(w_row));
disp(w_row);
printf('X_col as displayed  (%d x %d)\n', rows(shown_x_col), columns(shown_x_col));
disp(shown_x_col);
for n = 1:s.N
  for f = 1:s.F
    printf('output(%d, %d, :, :) =\n', n, f);
    disp(reshape(output(n, f, :, :), s.HO, s.WO));
  endfor
endfor

% One machine-readable line, with the keys of `im2col-lab compute --format json`.
printf('JSON: {"layout": "%s", "order": "%s", "x_mat": %s, "x_col": %s, "w_row": %s, "output": %s, ', ...
       s.layout, s.order, json_matrix(shown_x_mat), json_matrix(shown_x_col), json_matrix(w_row), ...
       json_tensor4(output, [s.N, s.F, s.HO, s.WO]));
printf('"grad_x_col": %s, "grad_input": %s, "grad_weights": %s, "grad_bias": %s}\n', ...
       json_matrix(shown_grad_x_col), json_tensor4(grad_input, [s.N, s.C, s.H, s.W]), ...
       json_tensor4(grad_weights, [s.C, s.F / s.G, s.KH, s.KW]), json_list(grad_bias));
)OCT";

std::string OctaveRow(const Tensor4& t, int a, int b, int y) {
  std::string text;
  for (int x = 0; x < t.w; ++x) text += (x ? ", " : "") + FormatExactNumber(t(a, b, y, x));
  return text;
}

// `name(a, b, :, :) = reshape([...], 1, 1, rows, cols);` for every outer slice,
// one matrix row per line (a newline inside brackets starts a new row).
std::string OctaveTensor(const std::string& name, const Tensor4& t, const char* dims, const char* outer_name,
                         const char* inner_name) {
  std::ostringstream out;
  out << name << " = zeros(" << dims << ");\n";
  for (int a = 0; a < t.n; ++a) {
    for (int b = 0; b < t.c; ++b) {
      out << "% " << outer_name << " " << a << ", " << inner_name << " " << b << "\n"
          << name << "(" << a + 1 << ", " << b + 1 << ", :, :) = reshape([\n";
      for (int y = 0; y < t.h; ++y) out << "  " << OctaveRow(t, a, b, y) << "\n";
      out << "], 1, 1, " << t.h << ", " << t.w << ");\n";
    }
  }
  return out.str();
}

std::string OctaveScenario(const Computation& c) {
  const Shape& s = c.shape;
  std::ostringstream out;
  out << "% ---- The scenario ------------------------------------------------------------\n"
      << "s = struct();\n"
      << "s.N = " << s.batch << "; s.C = " << s.channels << "; s.H = " << s.height << "; s.W = " << s.width
      << ";  % batch, channels, input height and width\n"
      << "s.F = " << s.filters << ";  % number of filters (output channels)\n"
      << "s.KH = " << s.kernel.h << "; s.KW = " << s.kernel.w << ";  % kernel height and width\n"
      << "s.SH = " << s.stride.h << "; s.SW = " << s.stride.w << ";  % stride: how far the window moves\n"
      << "s.PH = " << s.padding.h << "; s.PW = " << s.padding.w << ";  % zero padding added on each side\n"
      << "s.DH = " << s.dilation.h << "; s.DW = " << s.dilation.w << ";  % dilation: spacing between kernel taps\n"
      << "s.G = " << s.groups << ";  % groups: C and F split into G independent groups (G = C: depthwise)\n"
      << "s.layout = '" << ToString(c.scenario.layout)
      << "';  % 'columns': X_col is R x N*L; 'rows': shown as X_row = X_col'\n"
      << "s.order = '" << ToString(c.scenario.order)
      << "';  % how (c, ky, kx) -> row r and (oy, ox) -> column l are numbered\n";
  if (s.op == Op::Transposed) {
    out << "s.OPH = " << s.output_padding.h << "; s.OPW = " << s.output_padding.w
        << ";  % output padding: extra rows/columns at the bottom/right\n"
        << "% A transposed convolution (ConvTranspose2d): HO = (H - 1)*SH - 2*PH + DH*(KH-1) + OPH + 1\n"
        << "s.HO = (s.H - 1) * s.SH - 2 * s.PH + s.DH * (s.KH - 1) + s.OPH + 1;\n"
        << "s.WO = (s.W - 1) * s.SW - 2 * s.PW + s.DW * (s.KW - 1) + s.OPW + 1;\n"
        << "s.L = s.H * s.W;  % one column of X_col per input pixel\n"
        << "s.R = s.F * s.KH * s.KW;  % values each input pixel sends out = rows of X_col\n\n";
  } else {
    out << "% Output size: HO = floor((H + 2*PH - DH*(KH-1) - 1) / SH) + 1\n"
        << "s.HO = floor((s.H + 2 * s.PH - s.DH * (s.KH - 1) - 1) / s.SH) + 1;\n"
        << "s.WO = floor((s.W + 2 * s.PW - s.DW * (s.KW - 1) - 1) / s.SW) + 1;\n"
        << "s.L = s.HO * s.WO;  % patches (output positions) per image\n"
        << "s.R = s.C * s.KH * s.KW;  % values per patch = rows of X_col\n\n";
  }
  const bool transposed = s.op == Op::Transposed;
  out << "% ---- The tensors: exactly the values im2col-lab used -------------------------\n"
      << OctaveTensor("inputs", c.input, "s.N, s.C, s.H, s.W", "image", "channel") << "\n"
      << OctaveTensor("weights", c.weights, transposed ? "s.C, s.F / s.G, s.KH, s.KW" : "s.F, s.C / s.G, s.KH, s.KW",
                      transposed ? "input channel" : "filter", transposed ? "output channel" : "channel")
      << "\n"
      << "bias = [";
  for (std::size_t f = 0; f < c.bias.size(); ++f) out << (f ? ", " : "") << FormatExactNumber(c.bias[f]);
  out << "];  % one per filter\n\n"
      << "% grad_output = dLoss/dOutput, given for the backward pass\n"
      << OctaveTensor("grad_output", c.grad_output, "s.N, s.F, s.HO, s.WO", "image", "filter");
  return out.str();
}

}  // namespace

std::string OctaveScript(const Computation& c, const std::string& header) {
  std::ostringstream out;
  out << header << kOctaveFunctions << "\n" << OctaveScenario(c)
      << (c.shape.op == Op::Transposed ? kOctaveTransposedMain : kOctaveMain);
  return out.str();
}

}  // namespace im2col::io::code_gen_detail
