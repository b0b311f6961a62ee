// File uploads: the input's first line is the Content-Type header, the rest is the body, so the
// fuzzer varies the boundary and the framing together.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "edge/multipart.h"

// libFuzzer calls this name.
extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t line_end = input.find('\n');
  if (line_end == std::string_view::npos) {
    return 0;
  }
  const std::string_view content_type = input.substr(0, line_end);
  const std::string_view body = input.substr(line_end + 1);
  auto parts = kaiwa::edge::parse_multipart(content_type, body);
  if (!parts) {
    return 0;
  }
  if (parts->size() > kaiwa::edge::kMaxMultipartParts) {
    std::abort();
  }
  std::size_t total = 0;
  for (const kaiwa::edge::MultipartPart& part : *parts) {
    total += part.data.size();
  }
  // Each part's bytes are a piece of the body, copied once.
  if (total > body.size()) {
    std::abort();
  }
  return 0;
}
