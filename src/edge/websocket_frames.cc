#include "edge/websocket_frames.h"

#include <utility>

#include "core/utf8.h"

namespace kaiwa::edge::websocket_frames {
namespace {

constexpr std::size_t kMaxControlPayload = 125;
constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kOpcodeBits = 0x0F;
constexpr std::uint8_t kMaskBit = 0x80;
constexpr std::uint8_t kLengthBits = 0x7F;
constexpr std::uint8_t kLength16 = 126;
constexpr std::uint8_t kLength64 = 127;
constexpr std::size_t kMaskBytes = 4;

std::uint8_t byte_at(std::string_view input, std::size_t i) {
  return static_cast<std::uint8_t>(input[i]);
}

std::uint64_t big_endian(std::string_view input, std::size_t from, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    value = (value << 8U) | byte_at(input, from + i);
  }
  return value;
}

ReadEvent error(std::uint16_t code, std::string why) {
  ReadEvent event;
  event.kind = ReadEvent::Kind::kError;
  event.code = code;
  event.payload = std::move(why);
  return event;
}

ReadEvent event_of(ReadEvent::Kind kind, std::size_t consumed, std::string payload = {}) {
  ReadEvent event;
  event.kind = kind;
  event.payload = std::move(payload);
  event.consumed = consumed;
  return event;
}

// RFC 6455 §7.4: codes a peer may send (1004-1006 and 1015 are reserved for local use).
bool is_valid_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
         (code >= 3000 && code <= 4999);
}

ReadEvent close_event(std::string_view payload, std::size_t consumed) {
  if (payload.size() == 1) {
    return error(kProtocolError, "a close frame's code needs two bytes");
  }
  ReadEvent event = event_of(ReadEvent::Kind::kClose, consumed);
  if (payload.empty()) {
    event.code = kNoStatus;
    return event;
  }
  event.code = static_cast<std::uint16_t>(big_endian(payload, 0, 2));
  if (!is_valid_close_code(event.code)) {
    return error(kProtocolError, "invalid close code");
  }
  const std::string_view reason = payload.substr(2);
  if (!core::is_valid_utf8(reason)) {
    return error(kInvalidPayload, "the close reason is not UTF-8");
  }
  event.payload = std::string(reason);
  return event;
}

void append_big_endian(std::string& out, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = bytes; i > 0; --i) {
    out += static_cast<char>((value >> (8 * (i - 1))) & 0xFFU);
  }
}

}  // namespace

ReadEvent FrameReader::next(std::string_view input) {
  if (input.size() < 2) {
    return {};
  }
  const std::uint8_t first = byte_at(input, 0);
  const std::uint8_t second = byte_at(input, 1);
  const bool fin = (first & kFin) != 0;
  const auto opcode = static_cast<Opcode>(first & kOpcodeBits);
  if ((first & kReservedBits) != 0) {
    return error(kProtocolError, "reserved bits set without an extension");
  }
  if ((second & kMaskBit) == 0) {
    return error(kProtocolError, "a client's frames must be masked");
  }
  std::size_t header = 2;
  std::uint64_t length = second & kLengthBits;
  if (length == kLength16) {
    header += 2;
    if (input.size() < header) {
      return {};
    }
    length = big_endian(input, 2, 2);
    if (length < kLength16) {
      return error(kProtocolError, "a length not in its shortest form");
    }
  } else if (length == kLength64) {
    header += 8;
    if (input.size() < header) {
      return {};
    }
    length = big_endian(input, 2, 8);
    if (length <= 0xFFFF || (length >> 63U) != 0) {
      return error(kProtocolError, "a length not in its shortest form");
    }
  }

  const bool control = (first & 0x08U) != 0;
  if (control) {
    if (opcode != Opcode::kClose && opcode != Opcode::kPing && opcode != Opcode::kPong) {
      return error(kProtocolError, "unknown control opcode");
    }
    if (!fin || length > kMaxControlPayload) {
      return error(kProtocolError, "a control frame must be whole and at most 125 bytes");
    }
  } else {
    if (opcode != Opcode::kContinuation && opcode != Opcode::kText && opcode != Opcode::kBinary) {
      return error(kProtocolError, "unknown data opcode");
    }
    if ((opcode == Opcode::kContinuation) != in_message_) {
      return error(kProtocolError, in_message_ ? "a new message inside a fragmented one"
                                               : "a continuation without a message");
    }
    // Refused before its bytes arrive: a client cannot make the server buffer past the limit.
    if (length > max_message_bytes_ - message_bytes_) {
      return error(kMessageTooBig, "the message exceeds the size limit");
    }
  }

  const std::size_t frame_bytes = header + kMaskBytes + static_cast<std::size_t>(length);
  if (input.size() < frame_bytes) {
    return {};
  }
  const std::string_view mask = input.substr(header, kMaskBytes);
  std::string payload(input.substr(header + kMaskBytes, static_cast<std::size_t>(length)));
  for (std::size_t i = 0; i < payload.size(); ++i) {
    payload[i] = static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ byte_at(mask, i % 4));
  }

  switch (opcode) {
    case Opcode::kClose:
      return close_event(payload, frame_bytes);
    case Opcode::kPing:
      return event_of(ReadEvent::Kind::kPing, frame_bytes, std::move(payload));
    case Opcode::kPong:
      return event_of(ReadEvent::Kind::kPong, frame_bytes);
    default:
      return data_frame(opcode, fin, payload, frame_bytes);
  }
}

ReadEvent FrameReader::data_frame(Opcode opcode, bool fin, std::string_view payload,
                                  std::size_t consumed) {
  if (!in_message_) {
    in_message_ = true;
    message_is_text_ = opcode == Opcode::kText;
  }
  message_bytes_ += payload.size();
  if (message_is_text_) {
    if (!text_) {
      text_ = std::make_unique<std::string>();
    }
    *text_ += payload;
  }
  if (!fin) {
    return event_of(ReadEvent::Kind::kNeedMore, consumed);
  }
  const bool valid = !message_is_text_ || !text_ || core::is_valid_utf8(*text_);
  in_message_ = false;
  message_bytes_ = 0;
  text_.reset();
  if (!valid) {
    return error(kInvalidPayload, "a text message that is not UTF-8");
  }
  return event_of(ReadEvent::Kind::kMessage, consumed);
}

std::string frame_header(Opcode opcode, std::size_t payload_bytes) {
  std::string header;
  header += static_cast<char>(kFin | static_cast<std::uint8_t>(opcode));
  if (payload_bytes < kLength16) {
    header += static_cast<char>(payload_bytes);
  } else if (payload_bytes <= 0xFFFF) {
    header += static_cast<char>(kLength16);
    append_big_endian(header, payload_bytes, 2);
  } else {
    header += static_cast<char>(kLength64);
    append_big_endian(header, payload_bytes, 8);
  }
  return header;
}

std::string close_frame(std::uint16_t code, std::string_view reason) {
  constexpr std::size_t kMaxReason = kMaxControlPayload - 2;
  if (reason.size() > kMaxReason) {
    std::size_t cut = kMaxReason;
    // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
    while (cut > 0 && (static_cast<std::uint8_t>(reason[cut]) & 0xC0U) == 0x80U) {
      --cut;
    }
    reason = reason.substr(0, cut);
  }
  std::string frame = frame_header(Opcode::kClose, 2 + reason.size());
  append_big_endian(frame, code, 2);
  frame += reason;
  return frame;
}

std::string control_frame(Opcode opcode, std::string_view payload) {
  return frame_header(opcode, payload.size()) + std::string(payload);
}

}  // namespace kaiwa::edge::websocket_frames
