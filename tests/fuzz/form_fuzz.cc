// Every Chatwork request's parameters, body and query alike, are decoded by FormParams.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "edge/form_params.h"

// libFuzzer calls this name.
extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::string_view encoded(reinterpret_cast<const char*>(data), size);
  auto params = kaiwa::edge::FormParams::parse_urlencoded(encoded);
  if (!params) {
    return 0;
  }
  if (params->size() > kaiwa::edge::kMaxFormPairs) {
    std::abort();
  }
  for (const auto& [key, value] : params->entries()) {
    // Decoding only shrinks (%XX is three bytes for one), and empty keys are skipped.
    if (key.empty() || key.size() + value.size() > encoded.size()) {
      std::abort();
    }
    if (params->get(key) == std::nullopt) {
      std::abort();
    }
  }
  return 0;
}
