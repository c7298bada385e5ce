// A property check for fuzz targets: a broken property prints what broke and
// aborts, which libFuzzer records as a crash with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace im2col::fuzz {

[[noreturn]] inline void PropertyFailed(const char* file, int line, const char* condition,
                                        const std::string& detail) {
  std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n  %s\n", file, line, condition, detail.c_str());
  std::abort();
}

}  // namespace im2col::fuzz

#define FUZZ_CHECK(condition, detail)                                                  \
  do {                                                                                 \
    if (!(condition)) ::im2col::fuzz::PropertyFailed(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)
