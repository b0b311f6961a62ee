// Message bodies are the most common untrusted input: every body goes through the mention scan
// (counters) and the searchable-text extraction (search index). Both promise linear time and no
// crash on any bytes; the properties below are what their callers rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "core/message_markup.h"
#include "core/search_text.h"
#include "core/utf8.h"

// libFuzzer calls this name.
extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  const kaiwa::core::Mentions mentions = kaiwa::core::find_mentions(body);
  std::set<std::int64_t> seen;
  for (const kaiwa::core::AccountId id : mentions.account_ids) {
    // Ids are positive and listed once: a repeated [To:X] must not count twice.
    if (id.value <= 0 || !seen.insert(id.value).second) {
      std::abort();
    }
  }

  const std::string text = kaiwa::core::searchable_text(body);
  // Tags become single spaces and text is kept, so the result never grows past the body, and a
  // valid UTF-8 body stays valid (a tag is never cut inside a character).
  if (text.size() > body.size()) {
    std::abort();
  }
  if (kaiwa::core::is_valid_utf8(body) && !kaiwa::core::is_valid_utf8(text)) {
    std::abort();
  }
  return 0;
}
