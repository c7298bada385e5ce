// Image files as input values (stb_image decodes; the area average is ours).
#include "gui/state/image_input.h"

#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "io/atomic_file.h"

namespace im2col::gui {
namespace {

// How much of source pixel [i, i+1) the target interval [lo, hi) covers.
double Overlap(double lo, double hi, int i) { return std::max(0.0, std::min(hi, i + 1.0) - std::max(lo, double(i))); }

}  // namespace

std::vector<double> AreaAverage(const Image8& image, int width, int height) {
  const int ch = image.channels;
  std::vector<double> out(static_cast<size_t>(width) * height * ch, 0.0);
  if (image.width <= 0 || image.height <= 0 || width <= 0 || height <= 0) return out;
  const double sy = double(image.height) / height, sx = double(image.width) / width;
  for (int y = 0; y < height; ++y) {
    const double y0 = y * sy, y1 = (y + 1) * sy;
    for (int x = 0; x < width; ++x) {
      const double x0 = x * sx, x1 = (x + 1) * sx;
      for (int c = 0; c < ch; ++c) {
        double sum = 0.0, weight = 0.0;
        for (int iy = int(std::floor(y0)); iy < std::min(image.height, int(std::ceil(y1))); ++iy) {
          const double wy = Overlap(y0, y1, iy);
          for (int ix = int(std::floor(x0)); ix < std::min(image.width, int(std::ceil(x1))); ++ix) {
            const double w = wy * Overlap(x0, x1, ix);
            sum += w * image.pixels[(static_cast<size_t>(iy) * image.width + ix) * ch + c];
            weight += w;
          }
        }
        out[(static_cast<size_t>(y) * width + x) * ch + c] = weight > 0 ? sum / weight : 0.0;
      }
    }
  }
  return out;
}

std::string ImageToInputValues(const std::string& path, const Shape& shape, std::vector<double>* values,
                               const std::atomic<bool>* cancelled) {
  const auto stop = [cancelled] { return cancelled != nullptr && cancelled->load(); };
  const std::string kCancelled = path + ": not loaded (another image was asked for)";
  if (shape.channels != 1 && shape.channels != 3) {
    return path + ": an image needs channels C = 1 (grey) or 3 (RGB); this scenario has C = " +
           std::to_string(shape.channels);
  }
  // A bounded read of a regular file (a FIFO or /dev/zero is refused, not read), then
  // the header alone: a 700 KB PNG can claim 26000 x 26000 pixels (4 GB decoded).
  std::string error;
  std::optional<std::string> bytes = io::ReadWholeFile(path, error, kMaxImageFileBytes);
  if (!bytes) return error;
  if (stop()) return kCancelled;
  const auto* encoded = reinterpret_cast<const stbi_uc*>(bytes->data());
  const int encoded_size = static_cast<int>(bytes->size());
  int w = 0, h = 0, n = 0;
  if (stbi_info_from_memory(encoded, encoded_size, &w, &h, &n) == 0) {
    const char* reason = stbi_failure_reason();
    return path + ": could not read it as a PNG or JPEG image (" + (reason ? reason : "unknown") + ")";
  }
  if (static_cast<long long>(w) * h > kMaxImagePixels) {
    return path + ": the image is " + std::to_string(w) + " x " + std::to_string(h) + " pixels; images up to " +
           std::to_string(kMaxImagePixels / 1000000) + " megapixels are read (scale it down first)";
  }
  std::unique_ptr<stbi_uc, void (*)(void*)> data(
      stbi_load_from_memory(encoded, encoded_size, &w, &h, &n, shape.channels), stbi_image_free);
  if (!data) {
    const char* reason = stbi_failure_reason();
    return path + ": could not read it as a PNG or JPEG image (" + (reason ? reason : "unknown") + ")";
  }
  bytes.reset();  // the file's bytes (up to 128 MB) are not needed once decoded
  if (stop()) return kCancelled;
  Image8 image{w, h, shape.channels, {}};
  image.pixels.assign(data.get(), data.get() + static_cast<size_t>(w) * h * shape.channels);
  data.reset();  // the 8-bit copy is all the average needs: one decoded picture at a time
  const std::vector<double> small = AreaAverage(image, shape.width, shape.height);
  if (stop()) return kCancelled;
  // Whole numbers 0..255 read best in the cells and keep every product exact.
  std::vector<double> result(static_cast<size_t>(shape.batch) * shape.channels * shape.height * shape.width);
  size_t k = 0;
  for (int b = 0; b < shape.batch; ++b) {
    for (int c = 0; c < shape.channels; ++c) {
      for (int y = 0; y < shape.height; ++y) {
        for (int x = 0; x < shape.width; ++x) {
          result[k++] = std::round(small[(static_cast<size_t>(y) * shape.width + x) * shape.channels + c]);
        }
      }
    }
  }
  *values = std::move(result);
  return "";
}

}  // namespace im2col::gui
