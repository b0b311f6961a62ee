// RFC 6455 framing for the server side of a WebSocket: reading what clients send (masked frames,
// fragmented messages, control frames) and encoding what the server sends (unmasked frames).
// Kaiwa frames the event stream itself rather than through Beast's websocket::stream, whose
// state (a 1.5 KiB read buffer, a timer and its pending operations per connection) kept an idle
// connection above the 2 KiB that issue 3 allows; Beast still performs the handshake.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kaiwa::edge::websocket_frames {

enum class Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close codes of RFC 6455 §7.4.1 the reader answers with.
inline constexpr std::uint16_t kNormalClosure = 1000;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kNoStatus = 1005;  // received only: a close frame without a code
inline constexpr std::uint16_t kInvalidPayload = 1007;
inline constexpr std::uint16_t kMessageTooBig = 1009;

// One thing the reader found in a client's bytes.
struct ReadEvent {
  enum class Kind : std::uint8_t {
    kNeedMore,  // no whole frame yet: call again with more bytes
    kMessage,   // a whole data message (its text is not kept: the stream ignores it)
    kPing,      // answer with a pong carrying `payload`
    kPong,
    kClose,  // the client closes with `code` (kNoStatus if it gave none) and `payload` as reason
    kError,  // the client broke the protocol: close with `code`, `payload` saying why
  };
  Kind kind = Kind::kNeedMore;
  std::uint16_t code = 0;
  std::string payload;
  // Bytes of the input the event used up; the caller drops them and keeps the rest.
  std::size_t consumed = 0;
};

// Reads one client's frames. A message may span many frames and many reads; only a text message
// in progress is kept (to check its UTF-8 once whole, as RFC 6455 §8.1 requires), bounded by
// max_message_bytes. Not thread-safe: one per connection, used on its strand.
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Looks at the start of `input` for one whole frame. After kError the reader must not be used
  // again: the connection is failed.
  ReadEvent next(std::string_view input);

  // True when no message is in progress and nothing is buffered: the reader holds no memory.
  [[nodiscard]] bool idle() const { return !in_message_ && !text_; }

 private:
  ReadEvent data_frame(Opcode opcode, bool fin, std::string_view payload, std::size_t consumed);

  std::size_t max_message_bytes_;
  bool in_message_ = false;
  bool message_is_text_ = false;
  std::size_t message_bytes_ = 0;
  // The text message so far, only while one is in progress: most connections never send one,
  // and a pointer keeps the idle reader 24 bytes smaller.
  std::unique_ptr<std::string> text_;
};

// The header of an unmasked, final frame with `payload_bytes` of payload (2, 4 or 10 bytes).
std::string frame_header(Opcode opcode, std::size_t payload_bytes);

// A whole close frame: code, then reason cut to what fits in a control frame (123 bytes) without
// splitting a UTF-8 character.
std::string close_frame(std::uint16_t code, std::string_view reason);

// A whole ping or pong frame; payload must be at most 125 bytes.
std::string control_frame(Opcode opcode, std::string_view payload);

}  // namespace kaiwa::edge::websocket_frames
