// multipart/form-data parsing: boundary discovery, part framing, Content-Disposition parameters.
#include "edge/multipart.h"

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "edge/hex.h"

namespace kaiwa::edge {
namespace {

constexpr std::size_t kMaxBoundarySize = 200;  // RFC 2046 says 70; leave room for odd clients.

core::Error malformed() { return core::Error::invalid_argument("Invalid multipart body"); }

bool is_blank(char c) { return c == ' ' || c == '\t'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_blank(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// A header value split as `type; name=value; name="quoted"`, parameter names lower-cased.
struct HeaderValue {
  std::string_view type;
  std::vector<std::pair<std::string, std::string>> params;

  [[nodiscard]] const std::string* param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) {
        return &value;
      }
    }
    return nullptr;
  }
};

// Returns nullopt for an unterminated quoted string or junk after one. Inside quotes only `\"`
// and `\\` are escapes: old browsers send Windows paths (`C:\dir\a.png`) with bare backslashes.
std::optional<HeaderValue> parse_header_value(std::string_view v) {
  HeaderValue out;
  const std::size_t semi = v.find(';');
  out.type = trim(v.substr(0, semi));
  std::size_t pos = semi == std::string_view::npos ? v.size() : semi + 1;
  while (pos < v.size()) {
    while (pos < v.size() && (is_blank(v[pos]) || v[pos] == ';')) {
      ++pos;
    }
    if (pos == v.size()) {
      break;
    }
    std::size_t name_end = pos;
    while (name_end < v.size() && v[name_end] != '=' && v[name_end] != ';') {
      ++name_end;
    }
    std::string name(trim(v.substr(pos, name_end - pos)));
    for (char& c : name) {
      c = ascii_lower(c);
    }
    std::string value;
    pos = name_end;
    if (pos < v.size() && v[pos] == '=') {
      ++pos;
      while (pos < v.size() && is_blank(v[pos])) {
        ++pos;
      }
      if (pos < v.size() && v[pos] == '"') {
        ++pos;
        bool closed = false;
        while (pos < v.size()) {
          const char c = v[pos];
          if (c == '"') {
            closed = true;
            ++pos;
            break;
          }
          if (c == '\\' && pos + 1 < v.size() && (v[pos + 1] == '"' || v[pos + 1] == '\\')) {
            value.push_back(v[pos + 1]);
            pos += 2;
            continue;
          }
          value.push_back(c);
          ++pos;
        }
        while (pos < v.size() && is_blank(v[pos])) {
          ++pos;
        }
        if (!closed || (pos < v.size() && v[pos] != ';')) {
          return std::nullopt;
        }
      } else {
        const std::size_t end = std::min(v.find(';', pos), v.size());
        value = trim(v.substr(pos, end - pos));
        pos = end;
      }
    }
    if (!name.empty()) {
      out.params.emplace_back(std::move(name), std::move(value));
    }
  }
  return out;
}

// Decodes an RFC 8187 ext-value (`UTF-8''%E3%81%82.png`) to UTF-8. ISO-8859-1 is the only other
// charset the RFC requires; anything else yields nullopt so the plain `filename` is used.
std::optional<std::string> decode_ext_value(std::string_view v) {
  const std::size_t charset_end = v.find('\'');
  if (charset_end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t language_end = v.find('\'', charset_end + 1);
  if (language_end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view charset = v.substr(0, charset_end);
  const bool latin1 = iequals(charset, "iso-8859-1");
  if (!latin1 && !iequals(charset, "utf-8")) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = language_end + 1; i < v.size(); ++i) {
    auto byte = static_cast<unsigned char>(v[i]);
    if (byte == '%') {
      if (i + 2 >= v.size()) {
        return std::nullopt;
      }
      const int hi = hex_value(v[i + 1]);
      const int lo = hex_value(v[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      byte = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    }
    if (latin1 && byte >= 0x80) {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

// The boundary parameter of a multipart/* Content-Type, or nullopt.
std::optional<std::string> boundary_of(std::string_view content_type) {
  const auto header = parse_header_value(content_type);
  constexpr std::string_view kMultipart = "multipart/";
  if (!header || header->type.size() < kMultipart.size() ||
      !iequals(header->type.substr(0, kMultipart.size()), kMultipart)) {
    return std::nullopt;
  }
  const std::string* boundary = header->param("boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > kMaxBoundarySize) {
    return std::nullopt;
  }
  // find_delimiter's linear-time argument needs a boundary without line breaks.
  if (boundary->find_first_of("\r\n") != std::string::npos) {
    return std::nullopt;
  }
  return *boundary;
}

struct Delimiter {
  std::size_t begin;  // The LF before "--boundary", or 0 for a delimiter opening the body.
  std::size_t after;  // First byte after the delimiter line (the next part's headers).
  bool is_close;      // "--boundary--": the rest of the body is epilogue.
};

// Classifies the bytes after a "--boundary" match ending at `pos`. A match followed by anything
// but "--" or blanks and a line break is not a delimiter (RFC 2046 only forbids the full line in
// data), so the search goes on.
std::optional<Delimiter> classify(std::string_view body, std::size_t begin, std::size_t pos) {
  if (body.substr(pos, 2) == "--") {
    return Delimiter{begin, body.size(), true};
  }
  while (pos < body.size() && is_blank(body[pos])) {
    ++pos;
  }
  if (body.substr(pos, 2) == "\r\n") {
    return Delimiter{begin, pos + 2, false};
  }
  if (body.substr(pos, 1) == "\n") {
    return Delimiter{begin, pos + 1, false};
  }
  return std::nullopt;
}

// Finds the first delimiter whose leading LF is at or after `from`; CR before the LF is the
// caller's to strip. Linear: a failed comparison at a LF covers bytes that, matching a prefix of
// "--boundary", hold no LF, so the next memchr-backed find starts past them.
std::optional<Delimiter> find_delimiter(std::string_view body, std::string_view dash_boundary,
                                        std::size_t from) {
  if (from == 0 && body.starts_with(dash_boundary)) {
    if (auto d = classify(body, 0, dash_boundary.size())) {
      return d;
    }
  }
  std::size_t pos = from;
  while ((pos = body.find('\n', pos)) != std::string_view::npos) {
    if (body.substr(pos + 1).starts_with(dash_boundary)) {
      if (auto d = classify(body, pos, pos + 1 + dash_boundary.size())) {
        return d;
      }
    }
    ++pos;
  }
  return std::nullopt;
}

// Reads a part's header block starting at `pos` into `part`; returns the offset of its data.
core::Result<std::size_t> parse_part_headers(std::string_view body, std::size_t pos,
                                             std::string_view dash_boundary, MultipartPart& part) {
  bool has_disposition = false;
  while (true) {
    const std::size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) {
      return malformed();
    }
    std::string_view line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      break;
    }
    // A delimiter here means a part without its blank line; a boundary may contain ':', so
    // check before reading the line as a header.
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.starts_with(dash_boundary)) {
      return malformed();
    }
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition") && !has_disposition) {
      const auto disposition = parse_header_value(value);
      const std::string* field_name = disposition ? disposition->param("name") : nullptr;
      if (field_name == nullptr) {
        return malformed();
      }
      part.name = *field_name;
      const std::string* ext_filename = disposition->param("filename*");
      const std::string* plain_filename = disposition->param("filename");
      std::optional<std::string> decoded;
      if (ext_filename != nullptr) {
        decoded = decode_ext_value(*ext_filename);
      }
      if (decoded) {
        part.filename = std::move(decoded);
      } else if (plain_filename != nullptr) {
        part.filename = *plain_filename;
      } else if (ext_filename != nullptr) {
        return malformed();
      }
      has_disposition = true;
    } else if (iequals(name, "content-type")) {
      part.content_type = value;
    }
  }
  if (!has_disposition) {
    return malformed();
  }
  if (part.content_type.empty()) {
    part.content_type = part.filename ? "application/octet-stream" : "text/plain";
  }
  return pos;
}

}  // namespace

core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type_header,
                                                         std::string_view body) {
  const auto boundary = boundary_of(content_type_header);
  if (!boundary) {
    return core::Error::invalid_argument("Missing multipart boundary");
  }
  const std::string dash_boundary = "--" + *boundary;

  // Anything before the first delimiter is preamble.
  auto delimiter = find_delimiter(body, dash_boundary, 0);
  if (!delimiter) {
    return malformed();
  }
  std::vector<MultipartPart> parts;
  while (!delimiter->is_close) {
    if (parts.size() == kMaxMultipartParts) {
      return core::Error::invalid_argument("Too many parts in multipart body");
    }
    MultipartPart part;
    auto data_begin = parse_part_headers(body, delimiter->after, dash_boundary, part);
    if (!data_begin) {
      return data_begin.error();
    }
    // Start at the blank line's LF so that an empty part written without its own CRLF before
    // the next delimiter still parses.
    delimiter = find_delimiter(body, dash_boundary, *data_begin - 1);
    if (!delimiter) {
      return malformed();
    }
    std::size_t data_end = std::max(delimiter->begin, *data_begin);
    if (data_end > *data_begin && body[data_end - 1] == '\r') {
      --data_end;
    }
    part.data.assign(body.substr(*data_begin, data_end - *data_begin));
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace kaiwa::edge
