// Animated GIFs of rendered frames (for slides and the "Export" menu), via giflib.
//
// GIF holds at most 256 colours. Rendered UI frames are mostly a few dozen flat
// colours plus anti-aliased edges, so the palette is built from the most frequent
// colours of all frames (exact when there are <= 256), topped up with a coarse
// colour cube for the rare in-between shades; frames whose colours are spread
// out (photos, smooth gradients) get a uniform 6x7x6 cube + greys instead.
// One palette serves every frame, so flat colours never flicker between frames.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace im2col::io {

// One frame: width x height pixels, RGBA, rows top to bottom, 4 bytes per pixel.
// Alpha is ignored (frames are opaque renders).
struct RgbaFrame {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // size width*height*4
};

struct GifOptions {
  int delay_centiseconds = 10;  // time each frame stays on screen, 1..65535
  bool loop_forever = true;     // NETSCAPE2.0 loop extension with count 0
};

// An RGB colour packed as 0xRRGGBB.
using PackedRgb = std::uint32_t;

// The palette EncodeGif would use for these frames (at most 256 entries).
std::vector<PackedRgb> BuildGifPalette(const std::vector<RgbaFrame>& frames);

// Index of the palette entry nearest to `colour` (squared RGB distance).
int NearestPaletteIndex(const std::vector<PackedRgb>& palette, PackedRgb colour);

// Encodes the frames as an animated GIF (GIF89a, one global palette; frames after
// the first only store the rectangle that changed). On failure returns an empty
// string and sets `error` to a one-line message (no frames, mismatched sizes,
// wrong buffer size, delay out of range, size beyond 65535).
std::string EncodeGif(const std::vector<RgbaFrame>& frames, const GifOptions& options,
                      std::string& error);

// EncodeGif, then WriteFileAtomically. Returns "" on success, else a one-line
// message naming the path; nothing is written on failure.
std::string WriteGif(const std::string& path, const std::vector<RgbaFrame>& frames,
                     const GifOptions& options = {});

}  // namespace im2col::io
