// The NumPy and PyTorch scripts of `im2col-lab code`. The scenario (shape, layout,
// order, tensor values) is generated; the algorithm is fixed text below, driven
// only by the scenario's variables, so a student can edit LAYOUT or ORDER and rerun.
#include <sstream>

#include "io/code_gen_detail.h"

namespace im2col::io::code_gen_detail {

namespace {

// Printing and the JSON line, shared by both scripts (numpy and torch tensors
// both have .T, .shape and .tolist()).
const char* const kPythonReport = R"PY(

# ---- Print the results, as displayed in the chosen layout --------------------
def shown(matrix):
    """The columns layout shows a matrix as computed; the rows layout its transpose."""
    return matrix if LAYOUT == "columns" else matrix.T


def print_matrix(name, matrix):
    print(f"{name}  ({matrix.shape[0]} x {matrix.shape[1]})")
    print(matrix)
    print()


if LAYOUT == "columns":
    print_matrix("X_col = im2col(input)", x_col)
    print_matrix("W_row", w_row)
    print_matrix("Y_mat = W_row @ X_col + bias", y_mat)
else:
    print_matrix("X_row = X_col.T", x_col.T)
    print_matrix("W_row", w_row)
    print_matrix("Y_mat.T = X_row @ W_row.T + bias", y_mat.T)
print(f"output  (N x F x HO x WO = {N} x {F} x {HO} x {WO})")
print(output)
print()
print("grad_input = col2im(dX_col), summed where patches overlap")
print(grad_input)
print()

# One machine-readable line, with the keys of `im2col-lab compute --format json`.
print("JSON: " + json.dumps({
    "layout": LAYOUT,
    "order": ORDER,
    "x_col": shown(x_col).tolist(),
    "w_row": w_row.tolist(),
    "y_mat": shown(y_mat).tolist(),
    "output": output.tolist(),
    "grad_x_col": shown(grad_x_col).tolist(),
    "grad_input": grad_input.tolist(),
    "grad_weights": grad_weights.tolist(),
    "grad_bias": grad_bias.tolist(),
}))
)PY";

const char* const kNumPyAlgorithm = R"PY(

# ---- How indices are numbered (the app's "Orders") ---------------------------
def row_index(c, ky, kx):
    """Row r of X_col that holds kernel tap (ky, kx) of channel c."""
    if ORDER == "row-major":  # C, NumPy, PyTorch, Caffe
        return (c * KH + ky) * KW + kx
    return (c * KW + kx) * KH + ky  # column-major: MATLAB, Eigen


def column_index(n, oy, ox):
    """Column j of X_col that holds the patch of output position (oy, ox) of image n."""
    if ORDER == "row-major":
        return n * L + oy * WO + ox
    return n * L + ox * HO + oy


def source_pixel(oy, ox, ky, kx):
    """Input coordinate (y, x) under kernel tap (ky, kx) of the window at (oy, ox).
    Stride moves the window, dilation spreads the taps, padding shifts everything;
    the result may lie in the zero padding (outside 0..H-1 or 0..W-1)."""
    return oy * SH - PH + ky * DH, ox * SW - PW + kx * DW


def every_cell():
    """Each (n, oy, ox, c, ky, kx) once: one cell of X_col each, column by column."""
    return itertools.product(range(N), range(HO), range(WO), range(C), range(KH), range(KW))


# ---- Forward: im2col, flatten the filters, multiply, reshape -----------------
def im2col(inputs):
    """Copy every receptive field into one column of X_col (R x N*L)."""
    x_col = np.zeros((R, N * L))
    for n, oy, ox, c, ky, kx in every_cell():
        y, x = source_pixel(oy, ox, ky, kx)
        if 0 <= y < H and 0 <= x < W:  # otherwise the cell stays a padding zero
            x_col[row_index(c, ky, kx), column_index(n, oy, ox)] = inputs[n, c, y, x]
    return x_col


def col2im(x_col):
    """The adjoint of im2col: ADD every cell back into the pixel it was copied from.
    Where patches overlap, a pixel receives several values; summing them is what
    makes this the gradient (overwriting would keep only the last one)."""
    image = np.zeros((N, C, H, W))
    for n, oy, ox, c, ky, kx in every_cell():
        y, x = source_pixel(oy, ox, ky, kx)
        if 0 <= y < H and 0 <= x < W:  # padding cells have no pixel to go back to
            image[n, c, y, x] += x_col[row_index(c, ky, kx), column_index(n, oy, ox)]
    return image


def channel_of(f, ci):
    """Input channel of tap-channel ci of filter f: with G groups, filter f (group
    f // (F // G)) sees only the C // G channels of its group."""
    return (f // (F // G)) * (C // G) + ci


def flatten_filters(weights):
    """Filter f becomes row f of W_row (F x R), its taps in X_col's row order.
    With groups, the columns of other groups' channels stay 0: W_row is block-diagonal."""
    w_row = np.zeros((F, R))
    for f, ci, ky, kx in itertools.product(range(F), range(C // G), range(KH), range(KW)):
        w_row[f, row_index(channel_of(f, ci), ky, kx)] = weights[f, ci, ky, kx]
    return w_row


def unflatten_filters(w_row):
    """The inverse of flatten_filters: F x R back to F x C/G x KH x KW."""
    weights = np.zeros((F, C // G, KH, KW))
    for f, ci, ky, kx in itertools.product(range(F), range(C // G), range(KH), range(KW)):
        weights[f, ci, ky, kx] = w_row[f, row_index(channel_of(f, ci), ky, kx)]
    return weights


def to_tensor(matrix):
    """The reshape step: F x N*L -> N x F x HO x WO (row f is output channel f)."""
    tensor = np.zeros((N, F, HO, WO))
    for n, f, oy, ox in itertools.product(range(N), range(F), range(HO), range(WO)):
        tensor[n, f, oy, ox] = matrix[f, column_index(n, oy, ox)]
    return tensor


def to_matrix(tensor):
    """The inverse of to_tensor: N x F x HO x WO -> F x N*L."""
    matrix = np.zeros((F, N * L))
    for n, f, oy, ox in itertools.product(range(N), range(F), range(HO), range(WO)):
        matrix[f, column_index(n, oy, ox)] = tensor[n, f, oy, ox]
    return matrix


def direct_convolution(inputs, weights, bias):
    """The textbook definition, to check against: slide each filter over the padded input."""
    padded = np.pad(inputs, ((0, 0), (0, 0), (PH, PH), (PW, PW)))
    out = np.zeros((N, F, HO, WO))
    for n, f, oy, ox in itertools.product(range(N), range(F), range(HO), range(WO)):
        top, left = oy * SH, ox * SW  # window corner in padded coordinates
        first = channel_of(f, 0)  # the channels of filter f's group
        window = padded[n, first:first + C // G, top:top + DH * (KH - 1) + 1:DH, left:left + DW * (KW - 1) + 1:DW]
        out[n, f, oy, ox] = np.sum(window * weights[f]) + bias[f]
    return out


x_col = im2col(inputs)                 # R x N*L
w_row = flatten_filters(weights)       # F x R
y_mat = w_row @ x_col + bias[:, None]  # F x N*L: one dot product per output value
output = to_tensor(y_mat)              # N x F x HO x WO
assert np.allclose(output, direct_convolution(inputs, weights, bias)), "im2col + GEMM != direct convolution"

# ---- Backward: given grad_output = dLoss/dOutput -----------------------------
dy_mat = to_matrix(grad_output)        # F x N*L, the same columns as Y_mat
grad_w_row = dy_mat @ x_col.T          # F x R
grad_weights = unflatten_filters(grad_w_row)
grad_bias = dy_mat.sum(axis=1)         # a bias touches every column of its row
grad_x_col = w_row.T @ dy_mat          # R x N*L
grad_input = col2im(grad_x_col)        # N x C x H x W
)PY";

const char* const kPyTorchAlgorithm = R"PY(

# ---- Forward: im2col with unfold, then one matrix product --------------------
# unfold is PyTorch's im2col. It returns N x R x L: one matrix per image, rows
# numbered (c, ky, kx) row-major and columns l = oy*WO + ox.
patches = nnf.unfold(inputs, kernel_size=(KH, KW), dilation=(DH, DW), padding=(PH, PW), stride=(SH, SW))
# Name its six indices (n, c, ky, kx, oy, ox), then lay them out as the app does:
# rows r from (c, ky, kx), columns j = n*L + l from (n, oy, ox).
patches = patches.reshape(N, C, KH, KW, HO, WO)
if ORDER == "row-major":
    # r = (c*KH + ky)*KW + kx,  l = oy*WO + ox
    x_col = patches.permute(1, 2, 3, 0, 4, 5).reshape(R, N * L)
    filter_rows = weights.reshape(F, R // G)
else:
    # column-major: r = (c*KW + kx)*KH + ky,  l = ox*HO + oy (kx before ky, ox before oy)
    x_col = patches.permute(1, 3, 2, 0, 5, 4).reshape(R, N * L)
    filter_rows = weights.permute(0, 1, 3, 2).reshape(F, R // G)
# With G groups a filter sees only its group's C/G channels: W_row is block-diagonal,
# group g's filters times group g's rows of X_col (one block when G = 1).
FG, RG = F // G, R // G
w_row = torch.zeros(F, R, dtype=weights.dtype)
for g in range(G):
    w_row[g * FG:(g + 1) * FG, g * RG:(g + 1) * RG] = filter_rows[g * FG:(g + 1) * FG]


def to_tensor(matrix):
    """The reshape step: F x N*L -> N x F x HO x WO, undoing j = n*L + l."""
    if ORDER == "row-major":
        return matrix.reshape(F, N, HO, WO).permute(1, 0, 2, 3)
    return matrix.reshape(F, N, WO, HO).permute(1, 0, 3, 2)


def to_matrix(tensor):
    """The inverse of to_tensor: N x F x HO x WO -> F x N*L."""
    if ORDER == "row-major":
        return tensor.permute(1, 0, 2, 3).reshape(F, N * L)
    return tensor.permute(1, 0, 3, 2).reshape(F, N * L)


y_mat = w_row @ x_col + bias[:, None]  # F x N*L: one dot product per output value
output = to_tensor(y_mat)              # N x F x HO x WO
# The check: PyTorch's own convolution must agree.
reference = nnf.conv2d(inputs, weights, bias, stride=(SH, SW), padding=(PH, PW), dilation=(DH, DW), groups=G)
assert torch.allclose(output, reference), "im2col + GEMM != conv2d"

# ---- Backward: given grad_output = dLoss/dOutput -----------------------------
dy_mat = to_matrix(grad_output)        # F x N*L, the same columns as Y_mat
grad_w_row = dy_mat @ x_col.T          # F x R (only its diagonal blocks are weights)
grad_filter_rows = torch.cat([grad_w_row[g * FG:(g + 1) * FG, g * RG:(g + 1) * RG] for g in range(G)])
if ORDER == "row-major":
    grad_weights = grad_filter_rows.reshape(F, C // G, KH, KW)
else:
    grad_weights = grad_filter_rows.reshape(F, C // G, KW, KH).permute(0, 1, 3, 2)
grad_bias = dy_mat.sum(dim=1)          # a bias touches every column of its row
grad_x_col = w_row.T @ dy_mat          # R x N*L
# col2im is PyTorch's fold: it ADDS every cell back into the pixel it came from,
# so pixels shared by overlapping patches collect every contribution. fold wants
# unfold's N x R x L order back.
if ORDER == "row-major":
    columns = grad_x_col.reshape(C, KH, KW, N, HO, WO).permute(3, 0, 1, 2, 4, 5)
else:
    columns = grad_x_col.reshape(C, KW, KH, N, WO, HO).permute(3, 0, 2, 1, 5, 4)
grad_input = nnf.fold(columns.reshape(N, R, L), output_size=(H, W), kernel_size=(KH, KW),
                      dilation=(DH, DW), padding=(PH, PW), stride=(SH, SW))

# The check: autograd through conv2d gives the same three gradients.
x_var = inputs.clone().requires_grad_(True)
w_var = weights.clone().requires_grad_(True)
b_var = bias.clone().requires_grad_(True)
nnf.conv2d(x_var, w_var, b_var, stride=(SH, SW), padding=(PH, PW), dilation=(DH, DW), groups=G).backward(grad_output)
assert torch.allclose(grad_input, x_var.grad), "col2im != autograd's grad_input"
assert torch.allclose(grad_weights, w_var.grad), "dY_mat @ X_col.T != autograd's grad_weights"
assert torch.allclose(grad_bias, b_var.grad), "row sums of dY_mat != autograd's grad_bias"
)PY";

// The tensors as literals wrapped by `constructor` ("np.array" or "torch.tensor").
std::string TensorBlock(const Computation& c, const std::string& constructor, const std::string& dtype) {
  const bool transposed = c.shape.op == Op::Transposed;
  std::ostringstream out;
  out << "# ---- The tensors: exactly the values im2col-lab used -------------------------\n"
      << "# input, N x C x H x W\n"
      << "inputs = " << constructor << "(" << PythonTensorLiteral(c.input, "image", "channel") << ", dtype=" << dtype
      << ")\n\n"
      << (transposed ? "# weights, C x F/G x KH x KW (ConvTranspose2d's layout)\n" : "# weights, F x C/G x KH x KW\n")
      << "weights = " << constructor << "("
      << PythonTensorLiteral(c.weights, transposed ? "input channel" : "filter", transposed ? "output channel" : "channel")
      << ", dtype=" << dtype << ")\n\n"
      << (transposed ? "# bias, one per output channel\n" : "# bias, one per filter\n")
      << "bias = " << constructor << "(" << PythonListLiteral(c.bias) << ", dtype=" << dtype << ")\n\n"
      << "# grad_output = dLoss/dOutput, N x F x HO x WO, given for the backward pass\n"
      << "grad_output = " << constructor << "(" << PythonTensorLiteral(c.grad_output, "image", "filter")
      << ", dtype=" << dtype << ")\n";
  return out.str();
}

}  // namespace

std::string NumPyScript(const Computation& c, const std::string& header) {
  std::ostringstream out;
  out << "#!/usr/bin/env python3\n"
      << header << "\n"
      << "import itertools\nimport json\n\nimport numpy as np\n\n"
      << "np.set_printoptions(linewidth=160, suppress=True)\n\n"
      << PythonShapeBlock(c) << "\n"
      << TensorBlock(c, "np.array", "np.float64") << "\n";
  if (c.shape.op == Op::Transposed)
    out << NumPyTransposedAlgorithm() << PythonTransposedReport();
  else
    out << kNumPyAlgorithm << kPythonReport;
  return out.str();
}

std::string PyTorchScript(const Computation& c, const std::string& header) {
  std::ostringstream out;
  out << "#!/usr/bin/env python3\n"
      << header << "\n"
      << "import json\n\nimport torch\nimport torch.nn.functional as nnf  # not `F`: F is the number of filters\n\n"
      << "torch.set_printoptions(linewidth=160, sci_mode=False)\n\n"
      << PythonShapeBlock(c) << "\n"
      << TensorBlock(c, "torch.tensor", "torch.float64") << "\n";
  if (c.shape.op == Op::Transposed)
    out << PyTorchTransposedAlgorithm() << PythonTransposedReport();
  else
    out << kPyTorchAlgorithm << kPythonReport;
  return out.str();
}

}  // namespace im2col::io::code_gen_detail
