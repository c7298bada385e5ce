// A photo as the convolution's input: PNG / JPEG (stb_image) area-averaged down (or
// up) to the scenario's H x W, grey for C = 1 and RGB for C = 3, values 0..255.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "im2col/shape.h"

namespace im2col::gui {

// An 8-bit image, rows top to bottom, `channels` bytes per pixel.
struct Image8 {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> pixels;
};

// Area average of `image` resampled to width x height (every source pixel weighs by
// how much of it the target pixel covers), per channel, as doubles 0..255.
std::vector<double> AreaAverage(const Image8& image, int width, int height);

// Images are checked before decoding: the file is read (at most kMaxImageFileBytes,
// regular files only) and its header must claim at most kMaxImagePixels, so an image
// bomb (a tiny PNG of 26000 x 26000) is refused at once instead of decoded.
inline constexpr std::size_t kMaxImageFileBytes = std::size_t{128} << 20;
inline constexpr long long kMaxImagePixels = 32000000;  // 32 megapixels: an 8-bit 6500 x 4900 photo

// The input tensor's values (N x C x H x W, every batch item the same picture) from
// an image file. "" on success; else a one-line message naming the file and problem
// (unreadable, not an image, too many pixels, C not 1 or 3). *values is untouched on failure.
// `cancelled` (a worker's flag: a newer image was asked for) stops between the stages.
std::string ImageToInputValues(const std::string& path, const Shape& shape, std::vector<double>* values,
                               const std::atomic<bool>* cancelled = nullptr);

// An image decoded on a worker for the input of `shape`, or why it was not.
struct DecodedImage {
  std::string path;
  Shape shape;                 // the scenario's shape when it was asked for
  std::vector<double> values;  // N x C x H x W of that shape
  std::string error;           // non-empty: the message for the status line
};

}  // namespace im2col::gui
