// Large buffers that are written right after they are allocated (X_col, dX_col, the
// GPU pictures' texels). Filling 9 MB of fresh memory costs ~2,200 page faults, each a
// kernel entry plus the memory cgroup's accounting: a third of Compute's time at
// AlexNet size. With 2 MB pages it is a handful.
#pragma once

#include <cstddef>

namespace im2col {

// Asks Linux for transparent huge pages on the whole 2 MB pages inside
// [data, data + bytes). Call it before the first write: pages already touched stay as
// they are. Only a hint: without THP (or on other systems) nothing changes, and
// buffers smaller than 2 MB are left alone.
void AdviseHugePages(void* data, std::size_t bytes);

}  // namespace im2col
