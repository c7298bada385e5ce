// Messages for people: every error is one line, even when it quotes what a user typed.
#pragma once

#include <string>
#include <vector>

namespace im2col::io {

// Shows newlines and other control bytes escaped (\n, \r, \x01) so a message that
// quotes user text (a flag value, a JSON key) stays on one line.
std::string EscapeControlCharacters(const std::string& text);

// Several rule messages as one line: "a; b; c".
std::string JoinMessages(const std::vector<std::string>& messages);

}  // namespace im2col::io
