#include <charconv>

#include "fanout/session.h"

namespace fanout {
namespace {

// The subscriber half of the NATS client protocol (docs.nats.io, "Client Protocol"): INFO from
// the server, then CONNECT/SUB/PING from us; MSG, PING, PONG, +OK and -ERR afterwards. Written
// here rather than taken from libnats because libnats runs a reader thread per connection,
// which would not scale to thousands of subscribers and would give the NATS side a different
// client design from the WebSocket side.
class NatsSession final : public Session {
 public:
  explicit NatsSession(std::string subject) : subject_(std::move(subject)) {}

  void start(std::string&) override {}  // the server speaks first (INFO)

  bool feed(std::string_view bytes, std::string& out, SessionEvents& events) override {
    if (pending_.empty()) {
      const std::size_t used = consume(bytes, out, events);
      pending_.assign(bytes.substr(std::min(used, bytes.size())));
    } else {
      pending_.append(bytes);
      const std::size_t used = consume(pending_, out, events);
      pending_.erase(0, std::min(used, pending_.size()));
    }
    return error_.empty();
  }

  const std::string& error() const override { return error_; }

  bool refused() const override { return !error_.empty() && !subscribed_; }

 private:
  // Handles every complete protocol line (and MSG payload) in `data`; returns the bytes used.
  std::size_t consume(std::string_view data, std::string& out, SessionEvents& events) {
    std::size_t at = 0;
    while (error_.empty()) {
      const std::size_t line_end = data.find("\r\n", at);
      if (line_end == std::string_view::npos) {
        break;
      }
      const std::string_view line = data.substr(at, line_end - at);
      if (line.starts_with("MSG ")) {
        const std::size_t size = payload_size(line);
        const std::size_t payload_start = line_end + 2;
        if (data.size() < payload_start + size + 2) {
          break;  // wait for the rest of the payload and its CRLF
        }
        deliver(data.substr(payload_start, size), events);
        at = payload_start + size + 2;
        continue;
      }
      handle_line(line, out, events);
      at = line_end + 2;
    }
    return at;
  }

  // MSG <subject> <sid> [reply-to] <#bytes>: the size is always the last field.
  std::size_t payload_size(std::string_view line) {
    const std::size_t space = line.rfind(' ');
    std::size_t size = 0;
    const std::string_view digits = line.substr(space + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), size);
    if (ec != std::errc{} || end != digits.data() + digits.size()) {
      error_ = "nats: bad MSG line: " + std::string(line);
    }
    return size;
  }

  void deliver(std::string_view payload, SessionEvents& events) {
    FrameObjects objects(payload);
    std::string_view object;
    while (objects.next(object)) {
      events.on_event(parse_event(object));
    }
  }

  void handle_line(std::string_view line, std::string& out, SessionEvents& events) {
    if (line.starts_with("INFO ")) {
      out += R"(CONNECT {"verbose":false,"pedantic":false,"name":"ws_fanout"})";
      out += "\r\nSUB " + subject_ + " 1\r\nPING\r\n";
    } else if (line == "PING") {
      out += "PONG\r\n";
    } else if (line == "PONG") {
      if (!subscribed_) {
        subscribed_ = true;
        events.on_ready(-1);
      }
    } else if (line.starts_with("-ERR")) {
      error_ = "nats: " + std::string(line);
    }
    // +OK and anything else need no answer.
  }

  std::string subject_;
  std::string pending_;
  bool subscribed_ = false;
  std::string error_;
};

}  // namespace

std::unique_ptr<Session> make_nats_session(std::string subject) {
  return std::make_unique<NatsSession>(std::move(subject));
}

}  // namespace fanout
