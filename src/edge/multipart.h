// multipart/form-data parsing (RFC 7578) for Chatwork file uploads (POST /rooms/{id}/files).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kaiwa::edge {

// One form field or file. `filename` is set only for file parts (from `filename*=UTF-8''..` when
// present, else `filename`); it is returned as sent, path and all, and not validated as UTF-8.
struct MultipartPart {
  std::string name;
  std::optional<std::string> filename;
  // As sent, parameters included; "application/octet-stream" for a file part without one and
  // "text/plain" for a plain field.
  std::string content_type;
  std::string data;
};

// The most parts one request may carry; an upload needs two (`file`, `message`) plus the odd
// extra field some clients add.
inline constexpr std::size_t kMaxMultipartParts = 16;

// Parses `body` using the boundary of `content_type_header` (quoted or not). Deliberately lenient
// about framing that real clients vary on: a preamble, LF-only line endings, and a closing
// boundary with or without trailing CRLFs (the Ruby client strips them). Runs in time linear in
// the body and copies each part's bytes once. Returns kInvalidArgument when the boundary is
// missing, the framing or a part's headers are malformed, or there are more than
// kMaxMultipartParts parts. Stateless and thread-safe.
core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type_header,
                                                         std::string_view body);

}  // namespace kaiwa::edge
