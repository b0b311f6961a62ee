// WebSocket connections as the API layers see them: plain interfaces, so no handler sees Beast.
// A handler accepts an upgrade by answering 101 with a WebSocketListener attached
// (HttpResponse::websocket); the server completes the handshake and hands the listener a channel.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace kaiwa::edge {

// Immutable text shared by every connection it is sent to (serialized once, design.md §5).
using SharedText = std::shared_ptr<const std::string>;

// Close codes Kaiwa sends (RFC 6455 §7.4; 4000-4999 are the application's own).
namespace close_code {
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kServiceRestart = 1012;
// The send queue overflowed: the client was too slow and should resume where it stopped.
inline constexpr std::uint16_t kSlowConsumer = 4001;
// The credentials that opened the connection are no longer valid.
inline constexpr std::uint16_t kUnauthorized = 4003;
}  // namespace close_code

// The server's side of an open WebSocket. Thread-safe: any thread may send or close.
class WebSocketChannel {
 public:
  virtual ~WebSocketChannel() = default;

  // Queues items to be sent in order. Items waiting together leave as one text message,
  // framing.open + item (+ framing.separator + item)... + framing.close, in one write. Returns
  // false when the channel is closing, or when the items would exceed the queue's bound: then the
  // channel closes itself with kSlowConsumer and drops what was queued.
  virtual bool send(std::span<const SharedText> items) = 0;
  // Sends a close frame once everything already being written has left; later sends fail.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Bytes queued and not yet handed to the socket.
  virtual std::size_t queued_bytes() const = 0;
};

// What a handler attaches to a 101 answer. Its methods run on the connection's strand.
class WebSocketListener {
 public:
  virtual ~WebSocketListener() = default;
  // The handshake is done; the channel lives until on_closed.
  virtual void on_open(std::shared_ptr<WebSocketChannel> channel) = 0;
  // Called once when the connection has ended, for any reason (also when the handshake failed).
  virtual void on_closed() = 0;
};

// Bytes waiting to be sent across all WebSocket connections, against one limit, so that many
// slow clients together cannot exhaust memory either. Thread-safe.
class SendBudget {
 public:
  explicit SendBudget(std::size_t limit) : limit_(limit) {}

  bool try_take(std::size_t bytes) {
    std::size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (used + bytes > limit_) {
        return false;
      }
    } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
  }

  void give_back(std::size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

  std::size_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

struct WebSocketFraming {
  std::string open = "[";
  std::string separator = ",";
  std::string close = "]";
};

}  // namespace kaiwa::edge
