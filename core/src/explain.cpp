// Plain-language sentences for the explanation panel. Every number comes from the
// computation and the frame state; nothing here computes convolution.
#include <cmath>
#include <sstream>

#include "im2col/timeline.h"

namespace im2col {
namespace {

// Integers as integers, otherwise up to 3 significant decimals (the UI's number rule).
std::string Num(double v) {
  std::ostringstream os;
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    os << static_cast<long long>(std::llround(v));
  } else {
    os.precision(3);
    os << v;
  }
  return os.str();
}

// Always x[n,c,y,x], as the step labels and the hover badge write it (also for batch 1).
std::string PixelText(const Shape&, const Pixel& p) {
  std::ostringstream os;
  os << "x[" << p.n << "," << p.c << "," << p.y << "," << p.x << "]";
  return os.str();
}

const char* XName(Layout layout) { return layout == Layout::Rows ? "X_row" : "X_col"; }

// Group of filter f (conv) or input channel c (transposed), for the grouped sentences.
std::string GroupSentence(const Shape& s, Index weight_row, const char* what) {
  if (s.groups == 1) return "";
  const int g = s.GroupOfWeightRow(weight_row);
  const int per_group = s.PatchChannels() / s.groups;
  std::ostringstream os;
  os << " With " << s.groups << " groups, " << what << " " << weight_row << " is in group " << g << " and sees only "
     << (s.op == Op::Transposed ? "output channels " : "input channels ") << g * per_group << ".."
     << (g + 1) * per_group - 1 << "; the rest of its W_row row is structural zeros.";
  return os.str();
}

std::string ExplainTransposed(const Computation& c, const FrameState& st) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Layout layout = c.scenario.layout;
  const char* xname = XName(layout);
  const Index rows = s.PatchSize(), columns = s.ColumnCount();
  std::ostringstream os;
  switch (st.step.phase) {
    case Phase::Flatten:
      os << "A transposed convolution runs the conv's backward-data path forward. Input channel " << st.step.item
         << "'s weights (" << s.filters / s.groups << " x " << s.kernel.h << " x " << s.kernel.w
         << ") become row " << st.step.item << " of W_row (" << s.channels << " x " << rows << "), in "
         << ToString(order) << " order." << GroupSentence(s, st.step.item, "input channel");
      break;
    case Phase::Multiply: {
      const Index r = st.focus_cell->r, j = st.focus_cell->j;
      const PatchOffset o = PatchOffsetOf(s, order, r);
      const PatchIndex p = PatchIndexOf(s, order, j);
      os << (layout == Layout::Rows ? "X_row = x_mat\u1D40 \u00b7 W_row: every input pixel (a row of x_mat\u1D40) becomes "
                                    : "X_col = W_row\u1D40 \u00b7 x_mat: every input pixel (a column of x_mat) becomes ")
         << rows << " values, one per (output channel, ky, kx). ";
      os << "Cell (f=" << o.c << ", ky=" << o.ky << ", kx=" << o.kx << ") of input pixel (n=" << p.n << ", iy=" << p.oy
         << ", ix=" << p.ox << ") = " << Num(st.dot->result) << ", a dot product over the " << s.channels
         << " input channels.";
      if (!st.focus_pixel) os << " It lands outside the output, so col2im will drop it.";
      break;
    }
    case Phase::Col2im: {
      const PatchIndex p = PatchIndexOf(s, order, st.step.item);
      os << "col2im scatters " << (layout == Layout::Rows ? "row " : "column ") << st.step.item << " of " << xname
         << " (input pixel iy=" << p.oy << ", ix=" << p.ox << ") into a " << s.kernel.h << " x " << s.kernel.w
         << " window of the " << s.OutHeight() << " x " << s.OutWidth() << " output at stride " << FormatPair(s.stride)
         << ", ADDING where windows overlap; the bias is added once per output pixel. ";
      if (c.overlap.size() > 0 && c.overlap.maxCoeff() > 1) {
        os << "Overlap heat reaches " << c.overlap.maxCoeff() << " windows per pixel";
        if (c.overlap.minCoeff() != c.overlap.maxCoeff()) {
          const bool uneven = s.kernel.h % s.stride.h != 0 || s.kernel.w % s.stride.w != 0;
          os << " in some places and " << c.overlap.minCoeff() << " in others ("
             << (uneven ? "a checkerboard: the kernel is not a multiple of the stride" : "fewer windows reach the borders")
             << ")";
        }
        os << ".";
      } else {
        os << "Here windows do not overlap.";
      }
      break;
    }
    case Phase::GradOutput:
      os << "Backward pass: the loss sends back dY (" << s.batch << " x " << s.filters << " x " << s.OutHeight()
         << " x " << s.OutWidth() << "), one gradient per output value. The forward was a col2im, so its "
         << "adjoint is an im2col of dY on the same geometry.";
      break;
    case Phase::GradXCol: {
      const Index r = st.focus_cell->r, j = st.focus_cell->j;
      if (layout == Layout::Rows)
        os << "dX_row = im2col(dY), one row per input pixel: cell (" << j << ", " << r << ") ";
      else
        os << "dX_col = im2col(dY): cell (" << r << ", " << j << ") ";
      if (st.focus_pixel) {
        const Pixel& q = *st.focus_pixel;
        os << "copies dY[" << q.n << "," << q.c << "," << q.y << "," << q.x
           << "] = " << Num(c.grad_output(q.n, q.c, q.y, q.x)) << ", the output pixel its forward value landed on.";
      } else {
        os << "landed outside the output in the forward pass, so its gradient is 0.";
      }
      break;
    }
    case Phase::GradInput: {
      const Index ch = st.focus_cell->r, j = st.focus_cell->j;
      const PatchIndex p = PatchIndexOf(s, order, j);
      const bool by_rows = layout == Layout::Rows;
      os << (by_rows ? "dX_mat\u1D40 = dX_row \u00b7 W_row\u1D40" : "dX = W_row \u00b7 dX_col")
         << ", exactly the forward pass of an ordinary convolution of dY: dX[" << p.n << "," << ch << "," << p.oy << ","
         << p.ox << "] = "
         << (by_rows ? "dX_row[" + std::to_string(j) + ",:] \u00b7 W_row[" + std::to_string(ch) + ",:]"
                     : "W_row[" + std::to_string(ch) + ",:] \u00b7 dX_col[:," + std::to_string(j) + "]")
         << " = " << Num(st.dot->result) << " (" << rows << " terms)." << GroupSentence(s, ch, "input channel");
      break;
    }
    case Phase::GradWeights: {
      const Index ch = st.focus_cell->r, r = st.focus_cell->j;
      os << (layout == Layout::Rows ? "dW_row = x_mat \u00b7 dX_row" : "dW_row = x_mat \u00b7 dX_col\u1D40")
         << ": each weight's gradient sums, over every input pixel, the input value times "
         << "the output gradient where that weight carried it. ";
      if (st.dot->a.empty() && s.groups > 1) {
        os << "dW_row[" << ch << "," << r << "] is a structural zero (another group), not a weight.";
      } else {
        os << "dW_row[" << ch << "," << r << "] = " << Num(st.dot->result) << " (" << columns << " terms).";
      }
      break;
    }
    case Phase::Extract:
    case Phase::Reshape: break;
  }
  return os.str();
}

}  // namespace

std::string Explain(const Computation& c, const FrameState& st) {
  if (c.shape.op == Op::Transposed) return ExplainTransposed(c, st);
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Layout layout = c.scenario.layout;
  const char* xname = XName(layout);
  const Index rows = s.PatchSize(), columns = s.ColumnCount();
  std::ostringstream os;
  switch (st.step.phase) {
    case Phase::Extract: {
      const Index r = st.focus_cell->r, j = st.focus_cell->j;
      const PatchIndex p = PatchIndexOf(s, order, j);
      const PatchOffset o = PatchOffsetOf(s, order, r);
      os << "im2col stretches every receptive field into one " << (layout == Layout::Rows ? "row" : "column")
         << " of " << xname << ": " << rows << " values per patch, " << columns << " patches. ";
      os << "Patch (n=" << p.n << ", oy=" << p.oy << ", ox=" << p.ox << "), offset (c=" << o.c << ", ky=" << o.ky
         << ", kx=" << o.kx << "): ";
      if (st.focus_pixel) {
        os << "copy " << PixelText(s, *st.focus_pixel) << " = " << Num(c.input(st.focus_pixel->n, st.focus_pixel->c,
                                                                                 st.focus_pixel->y, st.focus_pixel->x))
           << ".";
        const auto copies = CopiesOf(s, order, *st.focus_pixel).size();
        if (copies > 1) os << " This pixel lands in " << copies << " places of " << xname << ".";
      } else {
        os << "the window lies over the padding here, so the cell gets a zero.";
      }
      break;
    }
    case Phase::Flatten: {
      os << "Each filter (" << s.channels / s.groups << " x " << s.kernel.h << " x " << s.kernel.w
         << " weights) is stretched into one row of W_row, in the same " << ToString(order)
         << " order as the rows of " << xname << ". ";
      os << "Filter " << st.step.item << " becomes row " << st.step.item << " of W_row (" << s.filters << " x "
         << rows << ")." << GroupSentence(s, st.step.item, "filter");
      break;
    }
    case Phase::Multiply: {
      const Index f = st.focus_cell->r, j = st.focus_cell->j;
      const PatchIndex p = PatchIndexOf(s, order, j);
      os << "One output value is one dot product: row " << f << " of W_row times "
         << (layout == Layout::Rows ? "row " : "column ") << j << " of " << xname << ", plus the bias "
         << Num(c.bias[static_cast<size_t>(f)]) << ". ";
      os << (layout == Layout::Rows ? "Y\u1d40 = X_row \u00b7 W_row\u1d40" : "Y = W_row \u00b7 X_col") << " does all " << s.filters * columns << " of them in one matrix multiplication. ";
      os << "This one gives output[" << p.n << "," << f << "," << p.oy << "," << p.ox << "] = " << Num(st.dot->result)
         << ".";
      if (s.groups > 1) {
        const int g = s.GroupOfWeightRow(f), per_group = s.channels / s.groups;
        os << " Filter " << f << " is in group " << g << " of " << s.groups << ": only channels " << g * per_group
           << ".." << (g + 1) * per_group - 1 << " contribute, the other terms meet W_row's structural zeros.";
      }
      break;
    }
    case Phase::Reshape: {
      const Index n = st.step.item / s.filters, f = st.step.item % s.filters;
      os << "Y is " << s.filters << " x " << columns << "; its row " << f << " holds image " << n << "'s "
         << s.OutHeight() << " x " << s.OutWidth() << " output map for filter " << f
         << ", so a reshape puts it back as an image. No arithmetic happens here.";
      break;
    }
    case Phase::GradOutput: {
      os << "Backward pass: the loss sends back dY, one gradient per output value (" << s.batch << " x "
         << s.filters << " x " << s.OutHeight() << " x " << s.OutWidth() << "). ";
      os << "It is laid out as dY_mat (" << s.filters << " x " << columns
         << "), the same shape as Y, so the matrix rules of a fully connected layer apply.";
      break;
    }
    case Phase::GradWeights: {
      const Index f = st.focus_cell->r, r = st.focus_cell->j;
      os << "dW_row = dY_mat \u00b7 X_col\u1d40: each weight's gradient sums, over every patch, the output gradient "
         << "times the input value that weight touched. ";
      if (s.groups > 1 && st.dot->a.empty())
        os << "dW_row[" << f << "," << r << "] is a structural zero of the block-diagonal W_row: channel "
           << PatchOffsetOf(s, order, r).c << " is in another group, so it is no weight and gets no gradient. ";
      else
        os << "dW_row[" << f << "," << r << "] = " << Num(st.dot->result) << " (" << columns << " terms). ";
      os << "The bias gradient is the sum of dY: db[" << f << "] = " << Num(c.grad_bias[static_cast<size_t>(f)]) << ".";
      break;
    }
    case Phase::GradXCol: {
      os << (layout == Layout::Rows ? "dX_row = dY_mat\u1d40 \u00b7 W_row" : "dX_col = W_row\u1d40 \u00b7 dY_mat")
         << " gives the gradient of every cell of " << xname
         << " -- still one value per copy, not per pixel. ";
      os << (layout == Layout::Rows ? "Row " : "Column ") << st.step.item << " is patch "
         << ColumnLabel(s, order, st.step.item) << ".";
      break;
    }
    case Phase::Col2im: {
      os << "col2im sends every " << (layout == Layout::Rows ? "dX_row" : "dX_col") << " cell back to the pixel it was copied from and ADDS it there, because a "
            "pixel copied into several patches gets gradient from each. ";
      if (c.PatchesOverlap()) {
        os << "Where windows overlap (heat up to " << c.overlap.maxCoeff()
           << " copies) overwriting instead of summing would lose gradient.";
      } else {
        os << "Here no windows overlap, so summing and overwriting give the same dX.";
      }
      break;
    }
    case Phase::GradInput: break;  // transposed only
  }
  return os.str();
}

}  // namespace im2col
