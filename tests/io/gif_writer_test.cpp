// The GIF writer, checked by reading its files back with giflib's own decoder
// (DGifSlurp) and compositing the frames as a viewer would.
#include "io/gif_writer.h"

#include <gif_lib.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

using im2col::io::BuildGifPalette;
using im2col::io::EncodeGif;
using im2col::io::GifOptions;
using im2col::io::PackedRgb;
using im2col::io::RgbaFrame;
using im2col::io::WriteGif;
namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "im2col-gif-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

RgbaFrame SolidFrame(int width, int height, PackedRgb colour) {
  RgbaFrame frame{width, height, std::vector<std::uint8_t>(std::size_t(width) * std::size_t(height) * 4)};
  for (std::size_t p = 0; p < frame.rgba.size() / 4; ++p) {
    frame.rgba[p * 4 + 0] = std::uint8_t(colour >> 16);
    frame.rgba[p * 4 + 1] = std::uint8_t(colour >> 8);
    frame.rgba[p * 4 + 2] = std::uint8_t(colour);
    frame.rgba[p * 4 + 3] = 255;
  }
  return frame;
}

void SetPixel(RgbaFrame& frame, int x, int y, PackedRgb colour) {
  std::uint8_t* p = frame.rgba.data() + (std::size_t(y) * std::size_t(frame.width) + std::size_t(x)) * 4;
  p[0] = std::uint8_t(colour >> 16);
  p[1] = std::uint8_t(colour >> 8);
  p[2] = std::uint8_t(colour);
}

PackedRgb PixelOf(const RgbaFrame& frame, int x, int y) {
  const std::uint8_t* p = frame.rgba.data() + (std::size_t(y) * std::size_t(frame.width) + std::size_t(x)) * 4;
  return (PackedRgb{p[0]} << 16) | (PackedRgb{p[1]} << 8) | PackedRgb{p[2]};
}

void FillRect(RgbaFrame& frame, int left, int top, int width, int height, PackedRgb colour) {
  for (int y = top; y < top + height; ++y)
    for (int x = left; x < left + width; ++x) SetPixel(frame, x, y, colour);
}

// What a viewer shows: every frame composited over the previous one.
struct DecodedGif {
  int width = 0, height = 0;
  std::vector<std::vector<PackedRgb>> frames;  // width*height each
  std::vector<int> delays;                     // centiseconds
  bool loops_forever = false;
};

DecodedGif ReadGif(const std::string& path) {
  DecodedGif out;
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  if (gif == nullptr) {
    ADD_FAILURE() << "DGifOpenFileName failed: " << GifErrorString(error);
    return out;
  }
  if (DGifSlurp(gif) != GIF_OK) {
    ADD_FAILURE() << "DGifSlurp failed: " << GifErrorString(gif->Error);
    DGifCloseFile(gif, &error);
    return out;
  }
  out.width = gif->SWidth;
  out.height = gif->SHeight;
  std::vector<PackedRgb> canvas(std::size_t(out.width) * std::size_t(out.height), 0);
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& image = gif->SavedImages[i];
    for (int e = 0; e < image.ExtensionBlockCount; ++e) {
      const ExtensionBlock& block = image.ExtensionBlocks[e];
      if (block.Function == APPLICATION_EXT_FUNC_CODE && block.ByteCount == 11 &&
          std::memcmp(block.Bytes, "NETSCAPE2.0", 11) == 0 && e + 1 < image.ExtensionBlockCount) {
        const ExtensionBlock& data = image.ExtensionBlocks[e + 1];
        out.loops_forever = data.ByteCount == 3 && data.Bytes[0] == 1 && data.Bytes[1] == 0 && data.Bytes[2] == 0;
      }
    }
    GraphicsControlBlock control{};
    out.delays.push_back(DGifSavedExtensionToGCB(gif, i, &control) == GIF_OK ? control.DelayTime : -1);
    const ColorMapObject* map = image.ImageDesc.ColorMap != nullptr ? image.ImageDesc.ColorMap : gif->SColorMap;
    const GifImageDesc& d = image.ImageDesc;
    for (int y = 0; y < d.Height; ++y) {
      for (int x = 0; x < d.Width; ++x) {
        const GifColorType c = map->Colors[image.RasterBits[std::size_t(y) * std::size_t(d.Width) + std::size_t(x)]];
        canvas[std::size_t(d.Top + y) * std::size_t(out.width) + std::size_t(d.Left + x)] =
            (PackedRgb{c.Red} << 16) | (PackedRgb{c.Green} << 8) | PackedRgb{c.Blue};
      }
    }
    out.frames.push_back(canvas);
  }
  DGifCloseFile(gif, &error);
  return out;
}

constexpr PackedRgb kBackground = 0xF5F5F5, kBlue = 0x0072B2, kOrange = 0xE69F00, kText = 0x1A1A1A;

// Three frames of a "UI": a blue cell that moves, an orange outline, then no change.
std::vector<RgbaFrame> UiFrames() {
  std::vector<RgbaFrame> frames;
  RgbaFrame first = SolidFrame(40, 30, kBackground);
  FillRect(first, 2, 3, 10, 8, kBlue);
  FillRect(first, 20, 20, 5, 2, kText);
  frames.push_back(first);
  RgbaFrame second = first;
  FillRect(second, 2, 3, 10, 8, kBackground);
  FillRect(second, 25, 5, 10, 8, kBlue);
  FillRect(second, 24, 4, 12, 1, kOrange);
  frames.push_back(second);
  frames.push_back(second);  // unchanged: still a frame of its own
  return frames;
}

TEST(GifWriter, FlatFramesReadBackExactly) {
  TempDir dir;
  const std::string path = dir.File("ui.gif");
  const auto frames = UiFrames();
  GifOptions options;
  options.delay_centiseconds = 25;
  ASSERT_EQ(WriteGif(path, frames, options), "");

  const DecodedGif gif = ReadGif(path);
  ASSERT_EQ(gif.width, 40);
  ASSERT_EQ(gif.height, 30);
  ASSERT_EQ(gif.frames.size(), 3u);
  EXPECT_TRUE(gif.loops_forever);
  for (int delay : gif.delays) EXPECT_EQ(delay, 25);
  for (std::size_t f = 0; f < frames.size(); ++f)
    for (int y = 0; y < 30; ++y)
      for (int x = 0; x < 40; ++x)
        ASSERT_EQ(gif.frames[f][std::size_t(y) * 40 + std::size_t(x)], PixelOf(frames[f], x, y))
            << "frame " << f << " pixel (" << x << ", " << y << ")";
  // Spot checks that mean something: the blue cell moved, the outline is orange.
  EXPECT_EQ(gif.frames[0][5 * 40 + 5], kBlue);
  EXPECT_EQ(gif.frames[1][5 * 40 + 5], kBackground);
  EXPECT_EQ(gif.frames[1][4 * 40 + 30], kOrange);
}

TEST(GifWriter, LaterFramesStoreOnlyTheChangedRectangle) {
  TempDir dir;
  const std::string path = dir.File("ui.gif");
  ASSERT_EQ(WriteGif(path, UiFrames()), "");
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  ASSERT_NE(gif, nullptr);
  ASSERT_EQ(DGifSlurp(gif), GIF_OK);
  ASSERT_EQ(gif->ImageCount, 3);
  const GifImageDesc& full = gif->SavedImages[0].ImageDesc;
  EXPECT_EQ(full.Width, 40);
  EXPECT_EQ(full.Height, 30);
  const GifImageDesc& changed = gif->SavedImages[1].ImageDesc;  // x 2..35, y 3..12
  EXPECT_EQ(changed.Left, 2);
  EXPECT_EQ(changed.Top, 3);
  EXPECT_EQ(changed.Width, 34);
  EXPECT_EQ(changed.Height, 10);
  const GifImageDesc& same = gif->SavedImages[2].ImageDesc;
  EXPECT_EQ(same.Width * same.Height, 1);
  GraphicsControlBlock control{};
  ASSERT_EQ(DGifSavedExtensionToGCB(gif, 0, &control), GIF_OK);
  EXPECT_EQ(control.DelayTime, 10);  // the default
  DGifCloseFile(gif, &error);
}

TEST(GifWriter, ManyColoursFallBackToACubeWithBoundedError) {
  // 64x64 smooth gradient: 4096 distinct colours, none frequent.
  RgbaFrame frame = SolidFrame(64, 64, 0);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x)
      SetPixel(frame, x, y, (PackedRgb(x * 4) << 16) | (PackedRgb(y * 4) << 8) | PackedRgb((x + y) * 2));
  const auto palette = BuildGifPalette({frame});
  EXPECT_EQ(palette.size(), 256u);
  EXPECT_NE(std::find(palette.begin(), palette.end(), 0x000000u), palette.end());
  EXPECT_NE(std::find(palette.begin(), palette.end(), 0xFFFFFFu), palette.end());

  TempDir dir;
  const std::string path = dir.File("gradient.gif");
  ASSERT_EQ(WriteGif(path, {frame}), "");
  const DecodedGif gif = ReadGif(path);
  ASSERT_EQ(gif.frames.size(), 1u);
  // Nearest colour by RGB distance: never farther than the cube's own worst case,
  // half a step on each axis: 51/2 for red and blue (6 levels), 42.5/2 for green (7).
  const int max_squared = 26 * 26 + 22 * 22 + 26 * 26;
  int worst = 0;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      const PackedRgb want = PixelOf(frame, x, y), got = gif.frames[0][std::size_t(y) * 64 + std::size_t(x)];
      int squared = 0;
      for (int shift : {16, 8, 0}) {
        const int d = int((want >> shift) & 0xff) - int((got >> shift) & 0xff);
        squared += d * d;
      }
      worst = std::max(worst, squared);
    }
  }
  EXPECT_LE(worst, max_squared);
  EXPECT_GT(worst, 0);  // it really was quantised
}

TEST(GifWriter, FrequentFlatColoursStayExactAmongManyEdgeShades) {
  // A flat UI (five colours on 95% of the pixels) plus 400 one-off "anti-aliasing" shades.
  RgbaFrame frame = SolidFrame(100, 100, kBackground);
  FillRect(frame, 0, 0, 50, 40, kBlue);
  FillRect(frame, 50, 0, 50, 40, kOrange);
  FillRect(frame, 0, 40, 100, 20, kText);
  FillRect(frame, 0, 60, 30, 20, 0xCC79A7);
  for (int i = 0; i < 400; ++i) SetPixel(frame, i % 100, 80 + i / 100, 0x101010u + PackedRgb(i) * 0x010203u);
  const auto palette = BuildGifPalette({frame});
  for (PackedRgb flat : {kBackground, kBlue, kOrange, kText, PackedRgb{0xCC79A7}})
    EXPECT_NE(std::find(palette.begin(), palette.end(), flat), palette.end()) << std::hex << flat;

  TempDir dir;
  const std::string path = dir.File("flat.gif");
  ASSERT_EQ(WriteGif(path, {frame}), "");
  const DecodedGif gif = ReadGif(path);
  ASSERT_EQ(gif.frames.size(), 1u);
  EXPECT_EQ(gif.frames[0][10 * 100 + 10], kBlue);
  EXPECT_EQ(gif.frames[0][10 * 100 + 70], kOrange);
  EXPECT_EQ(gif.frames[0][50 * 100 + 50], kText);
  EXPECT_EQ(gif.frames[0][70 * 100 + 10], 0xCC79A7u);
  EXPECT_EQ(gif.frames[0][95 * 100 + 50], kBackground);
}

TEST(GifWriter, BadFramesGiveAMessageAndWriteNothing) {
  TempDir dir;
  const std::string path = dir.File("bad.gif");
  std::string error;
  EXPECT_EQ(EncodeGif({}, {}, error), "");
  EXPECT_NE(error.find("no frames"), std::string::npos) << error;

  std::vector<RgbaFrame> mismatched = {SolidFrame(4, 4, kBlue), SolidFrame(5, 4, kBlue)};
  const std::string size_error = WriteGif(path, mismatched);
  EXPECT_NE(size_error.find("frame 1 is 5x4 but frame 0 is 4x4"), std::string::npos) << size_error;
  EXPECT_EQ(size_error.rfind(path, 0), 0u) << "the message names the file: " << size_error;

  RgbaFrame short_buffer = SolidFrame(4, 4, kBlue);
  short_buffer.rgba.resize(10);
  EXPECT_NE(WriteGif(path, {short_buffer}).find("expected 64"), std::string::npos);

  EXPECT_NE(WriteGif(path, {RgbaFrame{}}).find("between 1x1 and 65535x65535"), std::string::npos);

  GifOptions zero_delay;
  zero_delay.delay_centiseconds = 0;
  EXPECT_NE(WriteGif(path, {SolidFrame(4, 4, kBlue)}, zero_delay).find("delay 0"), std::string::npos);
  EXPECT_FALSE(fs::exists(path));
}

TEST(GifWriter, ReplacesAnExistingFileAndKeepsItOnFailure) {
  TempDir dir;
  const std::string path = dir.File("replace.gif");
  { std::ofstream(path) << "old contents"; }
  EXPECT_NE(WriteGif(path, {}), "");
  std::ifstream kept(path);
  std::string text((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "old contents");

  ASSERT_EQ(WriteGif(path, {SolidFrame(3, 2, kOrange)}), "");
  const DecodedGif gif = ReadGif(path);
  ASSERT_EQ(gif.frames.size(), 1u);
  EXPECT_EQ(gif.width, 3);
  EXPECT_EQ(gif.height, 2);
  EXPECT_EQ(gif.frames[0][5], kOrange);
  // No temporary file is left beside it.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) files += entry.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(GifWriter, WithoutLoopingThereIsNoNetscapeBlock) {
  TempDir dir;
  const std::string path = dir.File("once.gif");
  GifOptions options;
  options.loop_forever = false;
  ASSERT_EQ(WriteGif(path, {SolidFrame(2, 2, kBlue), SolidFrame(2, 2, kOrange)}, options), "");
  const DecodedGif gif = ReadGif(path);
  ASSERT_EQ(gif.frames.size(), 2u);
  EXPECT_FALSE(gif.loops_forever);
  EXPECT_EQ(gif.frames[1][3], kOrange);
}

}  // namespace
