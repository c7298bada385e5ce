#include "io/gif_writer.h"

#include <gif_lib.h>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "io/atomic_file.h"

namespace im2col::io {

namespace {

constexpr int kMaxGifSide = 65535;
constexpr std::size_t kPaletteSize = 256;
// Counting every pixel of a long 1080p animation is slow and tells no more than a
// sample: flat UI colours dominate any sample.
constexpr std::size_t kMaxColourSamples = std::size_t{4} << 20;
// "Flat" frames: this many most frequent colours cover this share of the pixels.
constexpr std::size_t kFrequentColours = 128;
constexpr double kFlatCoverage = 0.9;

PackedRgb PixelAt(const RgbaFrame& frame, std::size_t pixel) {
  const std::uint8_t* p = frame.rgba.data() + pixel * 4;
  return (PackedRgb{p[0]} << 16) | (PackedRgb{p[1]} << 8) | PackedRgb{p[2]};
}

PackedRgb Pack(int r, int g, int b) {
  return (static_cast<PackedRgb>(r) << 16) | (static_cast<PackedRgb>(g) << 8) | static_cast<PackedRgb>(b);
}

// levels_r x levels_g x levels_b evenly spaced colours from black to white.
void AppendCube(std::vector<PackedRgb>& palette, int levels_r, int levels_g, int levels_b) {
  auto level = [](int i, int levels) { return i * 255 / (levels - 1); };
  for (int r = 0; r < levels_r; ++r)
    for (int g = 0; g < levels_g; ++g)
      for (int b = 0; b < levels_b; ++b)
        palette.push_back(Pack(level(r, levels_r), level(g, levels_g), level(b, levels_b)));
}

// Greys strictly between black and white (the cubes already hold both ends).
void AppendGreys(std::vector<PackedRgb>& palette, int count) {
  for (int i = 1; i <= count; ++i) {
    const int v = i * 255 / (count + 1);
    palette.push_back(Pack(v, v, v));
  }
}

std::string CheckFrames(const std::vector<RgbaFrame>& frames, const GifOptions& options) {
  if (frames.empty()) return "no frames to write";
  const int width = frames.front().width, height = frames.front().height;
  if (width < 1 || height < 1 || width > kMaxGifSide || height > kMaxGifSide)
    return "frame size " + std::to_string(width) + "x" + std::to_string(height) +
           " must be between 1x1 and 65535x65535";
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const RgbaFrame& f = frames[i];
    if (f.width != width || f.height != height)
      return "frame " + std::to_string(i) + " is " + std::to_string(f.width) + "x" + std::to_string(f.height) +
             " but frame 0 is " + std::to_string(width) + "x" + std::to_string(height);
    const std::size_t expected = std::size_t(width) * std::size_t(height) * 4;
    if (f.rgba.size() != expected)
      return "frame " + std::to_string(i) + " has " + std::to_string(f.rgba.size()) + " bytes, expected " +
             std::to_string(expected) + " (width*height*4)";
  }
  if (options.delay_centiseconds < 1 || options.delay_centiseconds > 65535)
    return "delay " + std::to_string(options.delay_centiseconds) + " cs must be between 1 and 65535";
  return {};
}

// Maps colours to palette indices, remembering each colour it has seen.
class PaletteMapper {
 public:
  explicit PaletteMapper(const std::vector<PackedRgb>& palette) : palette_(palette) {}
  GifPixelType IndexOf(PackedRgb colour) {
    auto found = cache_.find(colour);
    if (found != cache_.end()) return found->second;
    const auto index = static_cast<GifPixelType>(NearestPaletteIndex(palette_, colour));
    cache_.emplace(colour, index);
    return index;
  }

 private:
  const std::vector<PackedRgb>& palette_;
  std::unordered_map<PackedRgb, GifPixelType> cache_;
};

// Smallest rectangle holding every pixel that differs between two indexed frames.
struct Rect {
  int left = 0, top = 0, width = 0, height = 0;
};
Rect ChangedRect(const std::vector<GifPixelType>& before, const std::vector<GifPixelType>& after, int width,
                 int height) {
  int left = width, right = -1, top = height, bottom = -1;
  for (int y = 0; y < height; ++y) {
    const std::size_t row = std::size_t(y) * std::size_t(width);
    for (int x = 0; x < width; ++x) {
      if (before[row + std::size_t(x)] == after[row + std::size_t(x)]) continue;
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  }
  // Nothing changed: GIF has no empty frame, so repeat one unchanged pixel.
  if (right < 0) return {0, 0, 1, 1};
  return {left, top, right - left + 1, bottom - top + 1};
}

int AppendToString(GifFileType* gif, const GifByteType* bytes, int count) {
  auto* out = static_cast<std::string*>(gif->UserData);
  out->append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(count));
  return count;
}

std::string GifError(const char* what, int code) {
  const char* text = GifErrorString(code);
  return std::string("GIF encoder: ") + what + ": " + (text != nullptr ? text : "unknown error");
}

// Application extension that makes browsers and viewers loop the animation.
bool PutLoopForever(GifFileType* gif) {
  static const char kNetscape[] = "NETSCAPE2.0";
  const GifByteType loop_block[3] = {1, 0, 0};  // sub-block id 1, loop count 0 = forever
  return EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
         EGifPutExtensionBlock(gif, 11, kNetscape) == GIF_OK &&
         EGifPutExtensionBlock(gif, 3, loop_block) == GIF_OK && EGifPutExtensionTrailer(gif) == GIF_OK;
}

bool PutFrame(GifFileType* gif, const std::vector<GifPixelType>& indexed, int width, const Rect& rect,
              int delay_centiseconds) {
  GraphicsControlBlock control{};
  control.DisposalMode = DISPOSE_DO_NOT;  // later frames paint over this one
  control.UserInputFlag = false;
  control.DelayTime = delay_centiseconds;
  control.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType extension[4];
  const auto length = static_cast<int>(EGifGCBToExtension(&control, extension));
  if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, length, extension) != GIF_OK) return false;
  if (EGifPutImageDesc(gif, rect.left, rect.top, rect.width, rect.height, false, nullptr) != GIF_OK) return false;
  std::vector<GifPixelType> line(static_cast<std::size_t>(rect.width));
  for (int y = rect.top; y < rect.top + rect.height; ++y) {
    const auto begin = indexed.begin() + static_cast<std::ptrdiff_t>(std::size_t(y) * std::size_t(width) +
                                                                      std::size_t(rect.left));
    std::copy(begin, begin + rect.width, line.begin());
    if (EGifPutLine(gif, line.data(), rect.width) != GIF_OK) return false;
  }
  return true;
}

}  // namespace

std::vector<PackedRgb> BuildGifPalette(const std::vector<RgbaFrame>& frames) {
  std::size_t total_pixels = 0;
  for (const RgbaFrame& f : frames) total_pixels += f.rgba.size() / 4;
  const std::size_t sample_step = std::max<std::size_t>(1, total_pixels / kMaxColourSamples);

  std::unordered_map<PackedRgb, std::size_t> counts;
  std::size_t samples = 0;
  for (const RgbaFrame& f : frames) {
    const std::size_t pixels = f.rgba.size() / 4;
    for (std::size_t p = 0; p < pixels; p += sample_step) {
      ++counts[PixelAt(f, p)];
      ++samples;
    }
  }

  std::vector<std::pair<PackedRgb, std::size_t>> by_frequency(counts.begin(), counts.end());
  // Ties broken by colour so the palette does not depend on hash order.
  std::sort(by_frequency.begin(), by_frequency.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });

  std::vector<PackedRgb> palette;
  if (by_frequency.size() <= kPaletteSize) {
    for (const auto& entry : by_frequency) palette.push_back(entry.first);
    if (palette.empty()) palette.push_back(0);
    return palette;
  }

  std::size_t covered = 0;
  for (std::size_t i = 0; i < kFrequentColours; ++i) covered += by_frequency[i].second;
  if (static_cast<double>(covered) >= kFlatCoverage * static_cast<double>(samples)) {
    // Flat UI: exact frequent colours, plus a 5x5x5 cube and greys for edge shades.
    for (std::size_t i = 0; i < kFrequentColours; ++i) palette.push_back(by_frequency[i].first);
    AppendCube(palette, 5, 5, 5);
    AppendGreys(palette, 3);
  } else {
    // Spread-out colours: a uniform cube (green gets the most levels: the eye sees it best).
    AppendCube(palette, 6, 7, 6);
    AppendGreys(palette, 4);
  }
  return palette;
}

int NearestPaletteIndex(const std::vector<PackedRgb>& palette, PackedRgb colour) {
  const int r = int(colour >> 16) & 0xff, g = int(colour >> 8) & 0xff, b = int(colour) & 0xff;
  int best = 0;
  long best_distance = -1;
  for (std::size_t i = 0; i < palette.size(); ++i) {
    const int dr = (int(palette[i] >> 16) & 0xff) - r;
    const int dg = (int(palette[i] >> 8) & 0xff) - g;
    const int db = (int(palette[i]) & 0xff) - b;
    const long distance = long(dr) * dr + long(dg) * dg + long(db) * db;
    if (best_distance < 0 || distance < best_distance) {
      best_distance = distance;
      best = static_cast<int>(i);
      if (distance == 0) break;
    }
  }
  return best;
}

std::string EncodeGif(const std::vector<RgbaFrame>& frames, const GifOptions& options, std::string& error) {
  error = CheckFrames(frames, options);
  if (!error.empty()) return {};
  const int width = frames.front().width, height = frames.front().height;

  std::vector<PackedRgb> palette = BuildGifPalette(frames);
  palette.resize(kPaletteSize, 0);  // giflib wants a power of two; unused entries stay black
  std::vector<GifColorType> colours(kPaletteSize);
  for (std::size_t i = 0; i < kPaletteSize; ++i)
    colours[i] = GifColorType{GifByteType(palette[i] >> 16), GifByteType(palette[i] >> 8), GifByteType(palette[i])};

  std::string bytes;
  int code = 0;
  GifFileType* gif = EGifOpen(&bytes, AppendToString, &code);
  if (gif == nullptr) {
    error = GifError("cannot start", code);
    return {};
  }
  auto fail = [&](const char* what) {
    const int last = gif->Error;
    int ignored = 0;
    EGifCloseFile(gif, &ignored);
    error = GifError(what, last);
    return std::string();
  };

  EGifSetGifVersion(gif, true);  // GIF89a: needed for delays and looping
  ColorMapObject* map = GifMakeMapObject(static_cast<int>(kPaletteSize), colours.data());
  if (map == nullptr) return fail("cannot allocate the palette");
  const int screen_ok = EGifPutScreenDesc(gif, width, height, 8, 0, map);
  GifFreeMapObject(map);  // the encoder keeps its own copy
  if (screen_ok != GIF_OK) return fail("cannot write the screen descriptor");
  if (options.loop_forever && !PutLoopForever(gif)) return fail("cannot write the loop extension");

  PaletteMapper mapper(palette);
  const std::size_t pixels = std::size_t(width) * std::size_t(height);
  std::vector<GifPixelType> previous, indexed(pixels);
  const RgbaFrame* previous_frame = nullptr;
  for (const RgbaFrame& frame : frames) {
    for (std::size_t p = 0; p < pixels; ++p) {
      const PackedRgb colour = PixelAt(frame, p);
      // Most of an animation frame is unchanged: reuse the index without a lookup.
      indexed[p] = previous_frame != nullptr && PixelAt(*previous_frame, p) == colour ? previous[p]
                                                                                       : mapper.IndexOf(colour);
    }
    const Rect rect = previous.empty() ? Rect{0, 0, width, height} : ChangedRect(previous, indexed, width, height);
    if (!PutFrame(gif, indexed, width, rect, options.delay_centiseconds)) return fail("cannot write a frame");
    std::swap(previous, indexed);
    indexed.resize(pixels);
    previous_frame = &frame;
  }

  if (EGifCloseFile(gif, &code) != GIF_OK) {
    error = GifError("cannot finish", code);
    return {};
  }
  return bytes;
}

std::string WriteGif(const std::string& path, const std::vector<RgbaFrame>& frames, const GifOptions& options) {
  std::string error;
  const std::string bytes = EncodeGif(frames, options, error);
  if (!error.empty()) return path + ": " + error;
  return WriteFileAtomically(path, bytes);
}

}  // namespace im2col::io
