#include "io/message_text.h"

namespace im2col::io {

std::string EscapeControlCharacters(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char ch : text) {
    if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch < 0x20 || ch == 0x7f) {
      out += "\\x";
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

std::string JoinMessages(const std::vector<std::string>& messages) {
  std::string joined;
  for (const std::string& m : messages) joined += (joined.empty() ? "" : "; ") + m;
  return joined;
}

}  // namespace im2col::io
