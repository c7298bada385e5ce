// The transposed convolution's NumPy and PyTorch algorithms for `im2col-lab code`
// (PyTorch's ConvTranspose2d as x_mat, one GEMM and col2im; backward as im2col of dY
// and GEMMs). Fixed text driven only by the script's variables, like code_gen_python.cpp.
#include "io/code_gen_detail.h"

namespace im2col::io::code_gen_detail {

namespace {

// The transposed operator's printing and JSON line: x_mat instead of Y_mat.
const char* const kPythonTransposedReport = R"PY(

# ---- Print the results, as displayed in the chosen layout --------------------
def shown(matrix):
    """The columns layout shows a matrix as computed; the rows layout its transpose."""
    return matrix if LAYOUT == "columns" else matrix.T


def print_matrix(name, matrix):
    print(f"{name}  ({matrix.shape[0]} x {matrix.shape[1]})")
    print(matrix)
    print()


print_matrix("x_mat = the input as a matrix" + ("" if LAYOUT == "columns" else ", transposed"), shown(x_mat))
print_matrix("W_row", w_row)
print_matrix("X_col = W_row.T @ x_mat" if LAYOUT == "columns" else "X_row = x_mat.T @ W_row", shown(x_col))
print(f"output = col2im(X_col) + bias  (N x F x HO x WO = {N} x {F} x {HO} x {WO})")
print(output)
print()
print("grad_input = W_row @ im2col(grad_output), reshaped")
print(grad_input)
print()

# One machine-readable line, with the keys of `im2col-lab compute --format json`.
print("JSON: " + json.dumps({
    "layout": LAYOUT,
    "order": ORDER,
    "x_mat": shown(x_mat).tolist(),
    "x_col": shown(x_col).tolist(),
    "w_row": w_row.tolist(),
    "output": output.tolist(),
    "grad_x_col": shown(grad_x_col).tolist(),
    "grad_input": grad_input.tolist(),
    "grad_weights": grad_weights.tolist(),
    "grad_bias": grad_bias.tolist(),
}))
)PY";

// A transposed convolution (PyTorch's ConvTranspose2d) by explicit loops: the conv's
// backward-data path run forward.
const char* const kNumPyTransposedAlgorithm = R"PY(

# ---- How indices are numbered (the app's "Orders") ---------------------------
def row_index(f, ky, kx):
    """Row r of X_col: the value an input pixel sends to output channel f through tap (ky, kx)."""
    if ORDER == "row-major":  # C, NumPy, PyTorch, Caffe
        return (f * KH + ky) * KW + kx
    return (f * KW + kx) * KH + ky  # column-major: MATLAB, Eigen


def column_index(n, iy, ix):
    """Column j of x_mat and X_col: input pixel (iy, ix) of image n."""
    if ORDER == "row-major":
        return n * L + iy * W + ix
    return n * L + ix * H + iy


def target_pixel(iy, ix, ky, kx):
    """Output coordinate that input pixel (iy, ix) reaches through tap (ky, kx); the
    same formula as the convolution's source pixel. Outside 0..HO-1 it is dropped."""
    return iy * SH - PH + ky * DH, ix * SW - PW + kx * DW


def output_channel(c, fi):
    """Output channel fi of input channel c's group (G groups: C/G inputs feed F/G outputs)."""
    return (c // (C // G)) * (F // G) + fi


def every_cell():
    """Each (n, iy, ix, f, ky, kx) once: one cell of X_col each, column by column."""
    return itertools.product(range(N), range(H), range(W), range(F), range(KH), range(KW))


# ---- Forward: x_mat, flatten the filters, multiply, col2im ------------------
def to_matrix(inputs):
    """x_mat (C x N*L): column j holds the C channels of one input pixel."""
    x_mat = np.zeros((C, N * L))
    for n, c, iy, ix in itertools.product(range(N), range(C), range(H), range(W)):
        x_mat[c, column_index(n, iy, ix)] = inputs[n, c, iy, ix]
    return x_mat


def to_tensor(matrix):
    """The inverse of to_matrix: C x N*L -> N x C x H x W."""
    tensor = np.zeros((N, C, H, W))
    for n, c, iy, ix in itertools.product(range(N), range(C), range(H), range(W)):
        tensor[n, c, iy, ix] = matrix[c, column_index(n, iy, ix)]
    return tensor


def flatten_filters(weights):
    """Input channel c's weights (F/G x KH x KW) become row c of W_row (C x R); the
    columns of other groups' output channels stay 0 (block-diagonal)."""
    w_row = np.zeros((C, R))
    for c, fi, ky, kx in itertools.product(range(C), range(F // G), range(KH), range(KW)):
        w_row[c, row_index(output_channel(c, fi), ky, kx)] = weights[c, fi, ky, kx]
    return w_row


def unflatten_filters(w_row):
    """The inverse of flatten_filters: C x R back to C x F/G x KH x KW."""
    weights = np.zeros((C, F // G, KH, KW))
    for c, fi, ky, kx in itertools.product(range(C), range(F // G), range(KH), range(KW)):
        weights[c, fi, ky, kx] = w_row[c, row_index(output_channel(c, fi), ky, kx)]
    return weights


def col2im(x_col):
    """ADD every cell into the output pixel it lands on (cells landing outside are
    dropped). Neighbouring pixels' windows overlap when the stride is smaller than
    the kernel: their values add up there."""
    out = np.zeros((N, F, HO, WO))
    for n, iy, ix, f, ky, kx in every_cell():
        y, x = target_pixel(iy, ix, ky, kx)
        if 0 <= y < HO and 0 <= x < WO:
            out[n, f, y, x] += x_col[row_index(f, ky, kx), column_index(n, iy, ix)]
    return out


def im2col(grad_output):
    """The adjoint of col2im: every cell copies dY at the output pixel it landed on."""
    cols = np.zeros((R, N * L))
    for n, iy, ix, f, ky, kx in every_cell():
        y, x = target_pixel(iy, ix, ky, kx)
        if 0 <= y < HO and 0 <= x < WO:
            cols[row_index(f, ky, kx), column_index(n, iy, ix)] = grad_output[n, f, y, x]
    return cols


def direct_transposed_convolution(inputs, weights, bias):
    """The definition, to check against: every input pixel scatters its value times
    the kernel into the output."""
    out = np.zeros((N, F, HO, WO)) + bias[None, :, None, None]
    for n, c, iy, ix, fi, ky, kx in itertools.product(range(N), range(C), range(H), range(W), range(F // G),
                                                      range(KH), range(KW)):
        y, x = target_pixel(iy, ix, ky, kx)
        if 0 <= y < HO and 0 <= x < WO:
            out[n, output_channel(c, fi), y, x] += inputs[n, c, iy, ix] * weights[c, fi, ky, kx]
    return out


x_mat = to_matrix(inputs)              # C x N*L
w_row = flatten_filters(weights)       # C x R
x_col = w_row.T @ x_mat                # R x N*L: one dot product per cell
output = col2im(x_col) + bias[None, :, None, None]  # N x F x HO x WO
assert np.allclose(output, direct_transposed_convolution(inputs, weights, bias)), "GEMM + col2im != definition"

# ---- Backward: given grad_output = dLoss/dOutput -----------------------------
grad_x_col = im2col(grad_output)       # R x N*L: an ordinary im2col of dY
grad_input = to_tensor(w_row @ grad_x_col)  # the forward pass of a convolution of dY
grad_w_row = x_mat @ grad_x_col.T      # C x R (only its diagonal blocks are weights)
grad_weights = unflatten_filters(grad_w_row)
grad_bias = grad_output.sum(axis=(0, 2, 3))
)PY";

const char* const kPyTorchTransposedAlgorithm = R"PY(

# ---- Forward: x_mat, one matrix product, then col2im -------------------------
# x_mat (C x N*L): column j = n*L + l holds the C channels of input pixel l of image n.
if ORDER == "row-major":  # l = iy*W + ix, r = (f*KH + ky)*KW + kx
    x_mat = inputs.permute(1, 0, 2, 3).reshape(C, N * L)
    filter_rows = weights.reshape(C, R // G)
else:  # column-major: l = ix*H + iy, r = (f*KW + kx)*KH + ky
    x_mat = inputs.permute(1, 0, 3, 2).reshape(C, N * L)
    filter_rows = weights.permute(0, 1, 3, 2).reshape(C, R // G)
# W_row (C x R) is block-diagonal with G groups: input channels of group g feed only
# the F/G output channels of group g.
CG, RG = C // G, R // G
w_row = torch.zeros(C, R, dtype=weights.dtype)
for g in range(G):
    w_row[g * CG:(g + 1) * CG, g * RG:(g + 1) * RG] = filter_rows[g * CG:(g + 1) * CG]
x_col = w_row.T @ x_mat                # R x N*L: one dot product per cell


def as_taps(matrix):
    """R x N*L -> N x F x KH x KW x H x W: name the indices (f, ky, kx) and (n, iy, ix)."""
    if ORDER == "row-major":
        return matrix.reshape(F, KH, KW, N, H, W).permute(3, 0, 1, 2, 4, 5)
    return matrix.reshape(F, KW, KH, N, W, H).permute(3, 0, 2, 1, 5, 4)


def from_taps(taps):
    """The inverse of as_taps."""
    if ORDER == "row-major":
        return taps.permute(1, 2, 3, 0, 4, 5).reshape(R, N * L)
    return taps.permute(1, 3, 2, 0, 5, 4).reshape(R, N * L)


# col2im: tap (ky, kx) of every input pixel lands on output row iy*SH - PH + ky*DH, so
# each tap is one strided slice; a canvas with PH (PW) extra rows (columns) on top
# (left) catches the cells that land outside and are dropped.
CANVAS_H = max((H - 1) * SH + DH * (KH - 1) + 1, HO + PH)
CANVAS_W = max((W - 1) * SW + DW * (KW - 1) + 1, WO + PW)


def tap_slices(ky, kx):
    return (slice(ky * DH, ky * DH + (H - 1) * SH + 1, SH), slice(kx * DW, kx * DW + (W - 1) * SW + 1, SW))


def col2im(matrix):
    """ADD every cell into the output pixel it lands on; windows overlap where the stride is smaller than the kernel."""
    taps = as_taps(matrix)
    canvas = torch.zeros(N, F, CANVAS_H, CANVAS_W, dtype=matrix.dtype)
    for ky in range(KH):
        for kx in range(KW):
            rows_at, cols_at = tap_slices(ky, kx)
            canvas[:, :, rows_at, cols_at] += taps[:, :, ky, kx]
    return canvas[:, :, PH:PH + HO, PW:PW + WO]


def im2col(grad_output):
    """The adjoint of col2im: every cell copies dY where it landed (0 outside)."""
    canvas = torch.zeros(N, F, CANVAS_H, CANVAS_W, dtype=grad_output.dtype)
    canvas[:, :, PH:PH + HO, PW:PW + WO] = grad_output
    taps = torch.zeros(N, F, KH, KW, H, W, dtype=grad_output.dtype)
    for ky in range(KH):
        for kx in range(KW):
            rows_at, cols_at = tap_slices(ky, kx)
            taps[:, :, ky, kx] = canvas[:, :, rows_at, cols_at]
    return from_taps(taps)


output = col2im(x_col) + bias[None, :, None, None]  # N x F x HO x WO
# The check: PyTorch's own transposed convolution must agree.
reference = nnf.conv_transpose2d(inputs, weights, bias, stride=(SH, SW), padding=(PH, PW),
                                 output_padding=(OPH, OPW), groups=G, dilation=(DH, DW))
assert torch.allclose(output, reference), "GEMM + col2im != conv_transpose2d"

# ---- Backward: given grad_output = dLoss/dOutput -----------------------------
grad_x_col = im2col(grad_output)       # R x N*L: an ordinary im2col of dY
grad_x_mat = w_row @ grad_x_col        # C x N*L: the forward pass of a convolution of dY
if ORDER == "row-major":
    grad_input = grad_x_mat.reshape(C, N, H, W).permute(1, 0, 2, 3)
else:
    grad_input = grad_x_mat.reshape(C, N, W, H).permute(1, 0, 3, 2)
grad_w_row = x_mat @ grad_x_col.T      # C x R (only its diagonal blocks are weights)
grad_filter_rows = torch.cat([grad_w_row[g * CG:(g + 1) * CG, g * RG:(g + 1) * RG] for g in range(G)])
if ORDER == "row-major":
    grad_weights = grad_filter_rows.reshape(C, F // G, KH, KW)
else:
    grad_weights = grad_filter_rows.reshape(C, F // G, KW, KH).permute(0, 1, 3, 2)
grad_bias = grad_output.sum(dim=(0, 2, 3))

# The check: autograd through conv_transpose2d gives the same three gradients.
x_var = inputs.clone().requires_grad_(True)
w_var = weights.clone().requires_grad_(True)
b_var = bias.clone().requires_grad_(True)
nnf.conv_transpose2d(x_var, w_var, b_var, stride=(SH, SW), padding=(PH, PW), output_padding=(OPH, OPW), groups=G,
                     dilation=(DH, DW)).backward(grad_output)
assert torch.allclose(grad_input, x_var.grad), "W_row @ im2col(dY) != autograd's grad_input"
assert torch.allclose(grad_weights, w_var.grad), "x_mat @ dX_col.T != autograd's grad_weights"
assert torch.allclose(grad_bias, b_var.grad), "sums of dY != autograd's grad_bias"
)PY";

}  // namespace

const char* PythonTransposedReport() { return kPythonTransposedReport; }
const char* NumPyTransposedAlgorithm() { return kNumPyTransposedAlgorithm; }
const char* PyTorchTransposedAlgorithm() { return kPyTorchTransposedAlgorithm; }

}  // namespace im2col::io::code_gen_detail
