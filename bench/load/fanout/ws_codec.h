#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The client half of RFC 6455 that a subscriber needs: the upgrade request, the check of the
// server's answer, an incremental frame decoder and masked control frames going back.
namespace fanout::ws {

enum class Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// A random Sec-WebSocket-Key (16 bytes, base64). The randomness only has to differ between
// connections; it protects proxies, not secrets.
std::string make_key(std::uint64_t seed);

// The value a conforming server puts in Sec-WebSocket-Accept for `key`.
std::string expected_accept(std::string_view key);

std::string upgrade_request(std::string_view host, std::string_view target, std::string_view key,
                            std::string_view token);

// Outcome of looking at the bytes received after sending the upgrade request.
struct HandshakeResult {
  enum class State { kIncomplete, kAccepted, kRefused } state = State::kIncomplete;
  std::size_t header_bytes = 0;  // bytes of the HTTP answer; frames start after them
  std::string status_line;       // for the report when refused
};

HandshakeResult parse_handshake(std::string_view received, std::string_view key);

// Appends one masked client frame (RFC 6455 §5.3: every client frame is masked).
void append_client_frame(std::string& out, Opcode opcode, std::string_view payload,
                         std::uint32_t mask_key);

// Receives what the decoder finds, in stream order.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // A whole text or binary message (fragments already joined).
  virtual void on_message(Opcode opcode, std::string_view payload) = 0;
  virtual void on_ping(std::string_view payload) = 0;
  virtual void on_close(int code, std::string_view reason) = 0;
};

// Turns a byte stream cut anywhere into frames. Server frames are unmasked (a masked one is a
// protocol error, §5.1); control frames may arrive between the fragments of a message.
class Decoder {
 public:
  // false on a protocol violation; the connection must then be dropped.
  bool feed(std::string_view bytes, FrameSink& sink);

  const std::string& error() const { return error_; }

 private:
  // Decodes whole frames from `data`; returns the bytes consumed, or npos on error.
  std::size_t decode(std::string_view data, FrameSink& sink);
  bool deliver(bool fin, Opcode opcode, std::string_view payload, FrameSink& sink);

  std::string pending_;    // an incomplete frame carried over to the next read
  std::string fragments_;  // the message being joined from continuation frames
  Opcode fragmented_opcode_ = Opcode::kContinuation;
  bool in_fragmented_message_ = false;
  bool closed_ = false;  // a close frame ends the stream (§5.5.1): later bytes are ignored
  std::string error_;
};

// Largest message the decoder accepts: far above any stream frame, low enough that a corrupt
// length cannot make the tool allocate gigabytes.
inline constexpr std::uint64_t kMaxMessageBytes = 64u << 20;

}  // namespace fanout::ws
