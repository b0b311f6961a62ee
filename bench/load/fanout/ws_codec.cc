#include "fanout/ws_codec.h"

#include <array>
#include <cstring>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace fanout::ws {
namespace {

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The header's value, or an empty view when absent.
std::string_view header_value(std::string_view headers, std::string_view name) {
  std::size_t line_start = 0;
  while (line_start < headers.size()) {
    std::size_t line_end = headers.find("\r\n", line_start);
    if (line_end == std::string_view::npos) {
      line_end = headers.size();
    }
    const std::string_view line = headers.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name)) {
      return trim(line.substr(colon + 1));
    }
    line_start = line_end + 2;
  }
  return {};
}

std::uint64_t read_big_endian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) {
    value = (value << 8) | bytes[i];
  }
  return value;
}

bool is_control(Opcode opcode) { return (static_cast<std::uint8_t>(opcode) & 0x8) != 0; }

}  // namespace

std::string make_key(std::uint64_t seed) {
  std::uint64_t state = seed;
  std::array<unsigned char, 16> bytes{};
  const std::uint64_t a = splitmix64(state);
  const std::uint64_t b = splitmix64(state);
  std::memcpy(bytes.data(), &a, 8);
  std::memcpy(bytes.data() + 8, &b, 8);
  return base64(bytes.data(), bytes.size());
}

std::string expected_accept(std::string_view key) {
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(key);
  input += kGuid;
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  return base64(digest.data(), digest.size());
}

std::string upgrade_request(std::string_view host, std::string_view target, std::string_view key,
                            std::string_view token) {
  std::string out;
  out.reserve(256);
  out.append("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(host);
  out.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13");
  out.append("\r\nSec-WebSocket-Key: ").append(key);
  out.append("\r\nX-ChatWorkToken: ").append(token).append("\r\n\r\n");
  return out;
}

HandshakeResult parse_handshake(std::string_view received, std::string_view key) {
  HandshakeResult result;
  const std::size_t end = received.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return result;
  }
  result.header_bytes = end + 4;
  const std::string_view head = received.substr(0, end);
  const std::size_t line_end = head.find("\r\n");
  result.status_line = std::string(head.substr(0, line_end));
  const std::string_view headers =
      line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
  const bool switching = result.status_line.starts_with("HTTP/1.1 101");
  const bool accept_matches = header_value(headers, "Sec-WebSocket-Accept") == expected_accept(key);
  if (switching && !accept_matches) {
    result.status_line += " (Sec-WebSocket-Accept does not match the key)";
  }
  result.state = switching && accept_matches ? HandshakeResult::State::kAccepted
                                             : HandshakeResult::State::kRefused;
  return result;
}

void append_client_frame(std::string& out, Opcode opcode, std::string_view payload,
                         std::uint32_t mask_key) {
  out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
  const std::size_t size = payload.size();
  if (size < 126) {
    out.push_back(static_cast<char>(0x80 | size));
  } else if (size <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(size >> 8));
    out.push_back(static_cast<char>(size & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xFF));
    }
  }
  std::array<char, 4> mask{};
  std::memcpy(mask.data(), &mask_key, 4);
  out.append(mask.data(), mask.size());
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  }
}

bool Decoder::feed(std::string_view bytes, FrameSink& sink) {
  if (!error_.empty()) {
    return false;
  }
  if (closed_) {
    return true;
  }
  // Common case: nothing carried over, decode straight from the caller's buffer and keep only
  // the tail of an incomplete frame.
  if (pending_.empty()) {
    const std::size_t used = decode(bytes, sink);
    if (used == std::string_view::npos) {
      return false;
    }
    pending_.assign(bytes.substr(used));
    return true;
  }
  pending_.append(bytes);
  const std::size_t used = decode(pending_, sink);
  if (used == std::string_view::npos) {
    return false;
  }
  pending_.erase(0, used);
  return true;
}

std::size_t Decoder::decode(std::string_view data, FrameSink& sink) {
  std::size_t at = 0;
  while (!closed_ && data.size() - at >= 2) {
    const auto* head = reinterpret_cast<const unsigned char*>(data.data() + at);
    const bool fin = (head[0] & 0x80) != 0;
    const auto opcode = static_cast<Opcode>(head[0] & 0x0F);
    if ((head[0] & 0x70) != 0) {
      error_ = "reserved bits set (no extension was negotiated)";
      return std::string_view::npos;
    }
    if ((head[1] & 0x80) != 0) {
      error_ = "masked frame from the server";
      return std::string_view::npos;
    }
    std::uint64_t length = head[1] & 0x7F;
    std::size_t header = 2;
    if (length == 126) {
      header = 4;
    } else if (length == 127) {
      header = 10;
    }
    if (data.size() - at < header) {
      break;
    }
    if (header == 4) {
      length = read_big_endian(head + 2, 2);
    } else if (header == 10) {
      length = read_big_endian(head + 2, 8);
    }
    if (length > kMaxMessageBytes) {
      error_ = "frame larger than " + std::to_string(kMaxMessageBytes) + " bytes";
      return std::string_view::npos;
    }
    if (data.size() - at - header < length) {
      break;
    }
    const std::string_view payload = data.substr(at + header, static_cast<std::size_t>(length));
    at += header + static_cast<std::size_t>(length);
    if (!deliver(fin, opcode, payload, sink)) {
      return std::string_view::npos;
    }
  }
  return at;
}

bool Decoder::deliver(bool fin, Opcode opcode, std::string_view payload, FrameSink& sink) {
  if (is_control(opcode)) {
    if (!fin || payload.size() > 125) {
      error_ = "fragmented or oversized control frame";
      return false;
    }
    if (opcode == Opcode::kPing) {
      sink.on_ping(payload);
    } else if (opcode == Opcode::kClose) {
      closed_ = true;
      const int code = payload.size() >= 2
                           ? static_cast<int>(read_big_endian(
                                 reinterpret_cast<const unsigned char*>(payload.data()), 2))
                           : 1005;  // §7.1.5: no status code present
      sink.on_close(code, payload.size() > 2 ? payload.substr(2) : std::string_view{});
    } else if (opcode != Opcode::kPong) {
      error_ = "unknown control opcode";
      return false;
    }
    return true;
  }
  if (opcode == Opcode::kContinuation) {
    if (!in_fragmented_message_) {
      error_ = "continuation frame outside a fragmented message";
      return false;
    }
    if (fragments_.size() + payload.size() > kMaxMessageBytes) {
      error_ = "fragmented message too large";
      return false;
    }
    fragments_.append(payload);
    if (fin) {
      in_fragmented_message_ = false;
      sink.on_message(fragmented_opcode_, fragments_);
      fragments_.clear();
    }
    return true;
  }
  if (opcode != Opcode::kText && opcode != Opcode::kBinary) {
    error_ = "unknown data opcode";
    return false;
  }
  if (in_fragmented_message_) {
    error_ = "new message before the fragmented one ended";
    return false;
  }
  if (fin) {
    sink.on_message(opcode, payload);
    return true;
  }
  in_fragmented_message_ = true;
  fragmented_opcode_ = opcode;
  fragments_.assign(payload);
  return true;
}

}  // namespace fanout::ws
