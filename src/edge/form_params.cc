// Decoding of application/x-www-form-urlencoded bodies and query strings.
#include "edge/form_params.h"

#include <algorithm>
#include <unordered_set>

#include "core/error.h"
#include "edge/hex.h"

namespace kaiwa::edge {
namespace {

// Decodes one key or value; nullopt on a truncated or non-hex % escape.
std::optional<std::string> decode_component(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) {
        return std::nullopt;
      }
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// PHP's http_build_query turns arrays into `name[0]=..` (usually percent-encoded, hence the check
// after decoding). Returns the base name for such keys.
std::optional<std::string_view> php_array_base(std::string_view key) {
  const std::size_t open = key.find('[');
  if (open == std::string_view::npos || open == 0 || key.back() != ']') {
    return std::nullopt;
  }
  return key.substr(0, open);
}

}  // namespace

core::Result<FormParams> FormParams::parse_urlencoded(std::string_view encoded) {
  FormParams params;
  std::size_t pairs = 0;
  while (!encoded.empty()) {
    // No Chatwork call has more than a dozen parameters; a body of a million empty ones is an
    // attack on memory, refused before it allocates anything.
    if (++pairs > kMaxFormPairs) {
      return core::Error::invalid_argument("Too many parameters");
    }
    const std::size_t amp = encoded.find('&');
    const std::string_view pair = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view{} : encoded.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const std::size_t eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto key = decode_component(raw_key);
    auto value = decode_component(raw_value);
    if (!key || !value) {
      return core::Error::invalid_argument("Invalid form encoding");
    }
    if (key->empty()) {
      continue;
    }
    if (const auto base = php_array_base(*key)) {
      // The name is echoed only when it is plain ASCII, so the error body stays valid JSON text.
      const bool printable =
          std::all_of(base->begin(), base->end(), [](char c) { return c >= 0x20 && c < 0x7f; });
      return core::Error::invalid_argument(
          printable ? "Parameter '" + std::string(*base) + "' must be a comma-separated list"
                    : std::string("List parameters must be comma-separated"));
    }
    params.entries_.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

std::optional<std::string_view> FormParams::get(std::string_view key) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [key](const Entry& entry) { return entry.first == key; });
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

bool FormParams::contains(std::string_view key) const { return get(key).has_value(); }

void FormParams::merge_missing_from(const FormParams& other) {
  // A set keeps this linear: both sides come from the client, so a quadratic merge would let a
  // large query plus a large body cost O(n*m). Reserve first: the set holds views of our keys,
  // and a reallocation would move short (SSO) strings out from under them.
  entries_.reserve(entries_.size() + other.entries_.size());
  std::unordered_set<std::string_view> present;
  present.reserve(entries_.capacity());
  for (const Entry& entry : entries_) {
    present.insert(entry.first);
  }
  for (const Entry& entry : other.entries_) {
    if (present.insert(entry.first).second) {
      entries_.push_back(entry);
    }
  }
}

void FormParams::set(std::string key, std::string value) {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&key](const Entry& entry) { return entry.first == key; });
  if (it != entries_.end()) {
    it->second = std::move(value);
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
}

}  // namespace kaiwa::edge
