#include <array>

#include "fanout/session.h"
#include "fanout/ws_codec.h"

namespace fanout {
namespace {

class KaiwaSession final : public Session, private ws::FrameSink {
 public:
  explicit KaiwaSession(const KaiwaSessionParams& params)
      : host_(params.host),
        token_(params.token),
        since_(params.since),
        key_(ws::make_key(params.seed)),
        mask_state_(static_cast<std::uint32_t>(params.seed * 2654435761u) | 1u) {}

  void start(std::string& out) override {
    std::string target = "/kaiwa/v1/stream";
    if (since_ >= 0) {
      target += "?since=" + std::to_string(since_);
    }
    out += ws::upgrade_request(host_, target, key_, token_);
  }

  bool feed(std::string_view bytes, std::string& out, SessionEvents& events) override {
    out_ = &out;
    events_ = &events;
    if (!upgraded_ && !read_handshake(bytes)) {
      return false;
    }
    if (upgraded_ && !bytes.empty() && !decoder_.feed(bytes, *this)) {
      error_ = "websocket: " + decoder_.error();
    }
    leftover_.clear();
    return error_.empty();
  }

  const std::string& error() const override { return error_; }

  bool refused() const override { return refused_; }

 private:
  // Consumes the HTTP answer from `bytes`, leaving in it the frame bytes that followed.
  bool read_handshake(std::string_view& bytes) {
    handshake_.append(bytes);
    const ws::HandshakeResult result = ws::parse_handshake(handshake_, key_);
    switch (result.state) {
      case ws::HandshakeResult::State::kIncomplete:
        bytes = {};
        return true;
      case ws::HandshakeResult::State::kRefused:
        error_ = "upgrade refused: " + result.status_line;
        refused_ = true;
        return false;
      case ws::HandshakeResult::State::kAccepted:
        break;
    }
    // Whatever followed the header in this read is frame data; it was also copied into
    // handshake_, so take it from there.
    upgraded_ = true;
    leftover_ = handshake_.substr(result.header_bytes);
    handshake_.clear();
    handshake_.shrink_to_fit();
    bytes = leftover_;
    return true;
  }

  void on_message(ws::Opcode opcode, std::string_view payload) override {
    if (opcode != ws::Opcode::kText) {
      return;  // the stream speaks text frames only; anything else is not ours to count
    }
    FrameObjects objects(payload);
    std::string_view object;
    while (objects.next(object)) {
      const StreamEvent event = parse_event(object);
      if (event.type == StreamEvent::Type::kReady) {
        events_->on_ready(event.pos);
      } else {
        events_->on_event(event);
      }
    }
    if (objects.malformed() && error_.empty()) {
      error_ = "frame is not a JSON array of objects";
    }
  }

  void on_ping(std::string_view payload) override {
    ws::append_client_frame(*out_, ws::Opcode::kPong, payload, next_mask());
  }

  void on_close(int code, std::string_view reason) override {
    // Echo the code as §5.5.1 asks; the loop closes the socket after sending it.
    const std::array<char, 2> echo = {static_cast<char>((code >> 8) & 0xFF),
                                      static_cast<char>(code & 0xFF)};
    const std::string_view body =
        code == 1005 ? std::string_view{} : std::string_view(echo.data(), echo.size());
    ws::append_client_frame(*out_, ws::Opcode::kClose, body, next_mask());
    events_->on_remote_close(code, reason);
  }

  std::uint32_t next_mask() {
    // xorshift32: masks only need to vary, not to be unpredictable, for a benchmark client.
    mask_state_ ^= mask_state_ << 13;
    mask_state_ ^= mask_state_ >> 17;
    mask_state_ ^= mask_state_ << 5;
    return mask_state_;
  }

  std::string host_;
  std::string token_;
  std::int64_t since_;
  std::string key_;
  std::uint32_t mask_state_;
  bool upgraded_ = false;
  bool refused_ = false;
  std::string handshake_;
  std::string leftover_;
  ws::Decoder decoder_;
  std::string error_;
  std::string* out_ = nullptr;
  SessionEvents* events_ = nullptr;
};

}  // namespace

std::unique_ptr<Session> make_kaiwa_session(const KaiwaSessionParams& params) {
  return std::make_unique<KaiwaSession>(params);
}

}  // namespace fanout
