#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fanout/stream_events.h"

// One subscriber's protocol over an established TCP connection: the Kaiwa stream (WebSocket) or
// a NATS subscription. Both report the same events, so the loop that owns the sockets, and the
// accounting behind it, is shared by the two systems under comparison.
namespace fanout {

class SessionEvents {
 public:
  virtual ~SessionEvents() = default;
  // The subscription is live; `pos` is a resume position (-1 when the protocol has none).
  virtual void on_ready(std::int64_t pos) = 0;
  virtual void on_event(const StreamEvent& event) = 0;
  // The server ended the stream with a close code (WebSocket §7.4).
  virtual void on_remote_close(int code, std::string_view reason) = 0;
};

class Session {
 public:
  virtual ~Session() = default;

  // Appends what to send once TCP is connected.
  virtual void start(std::string& out) = 0;

  // Consumes received bytes, appending any answer (pong, close echo) to `out`. false: the
  // connection must be dropped; error() says why.
  virtual bool feed(std::string_view bytes, std::string& out, SessionEvents& events) = 0;

  virtual const std::string& error() const = 0;

  // The server turned the subscription down (upgrade answered without 101, NATS -ERR): a retry
  // would be refused again.
  virtual bool refused() const = 0;
};

struct KaiwaSessionParams {
  std::string_view host;   // Host header
  std::string_view token;  // X-ChatWorkToken
  std::int64_t since;      // resume position; -1 connects without one
  std::uint64_t seed;      // for the Sec-WebSocket-Key and the frame masks
};

// GET /kaiwa/v1/stream[?since=pos] upgraded to a WebSocket.
std::unique_ptr<Session> make_kaiwa_session(const KaiwaSessionParams& params);

// CONNECT, SUB <subject>, then PING: the PONG proves the subscription is registered.
std::unique_ptr<Session> make_nats_session(std::string subject);

}  // namespace fanout
