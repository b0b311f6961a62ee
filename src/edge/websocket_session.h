// The Beast implementation of WebSocketChannel: one per upgraded connection, on its strand.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "edge/websocket.h"

namespace kaiwa::edge {

struct WebSocketSessionOptions {
  std::size_t max_queued_bytes = 0;
  std::size_t max_message_bytes = 0;
  std::chrono::seconds ping_after{15};
  const WebSocketFraming* framing = nullptr;
  SendBudget* budget = nullptr;
};

// Writes are chained on the connection's strand: whatever was queued while one write was in
// flight goes out as the next single message, so a fast producer costs one syscall per batch
// rather than one per item (NATS coalesces the same way).
class WebSocketSession final : public WebSocketChannel,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  // On the bare socket: the WebSocket layer keeps its own deadlines, so tcp_stream's timers
  // would only cost memory on every idle connection.
  using Stream = boost::beast::websocket::stream<boost::asio::ip::tcp::socket>;

  WebSocketSession(boost::asio::ip::tcp::socket&& socket, const WebSocketSessionOptions& options);

  // Completes the handshake for request, then serves the connection until it ends: reads (and
  // discards) client messages so control frames, pings and timeouts are processed.
  boost::asio::awaitable<void> run(
      boost::beast::http::request<boost::beast::http::string_body> request,
      std::shared_ptr<WebSocketListener> listener);

  bool send(std::span<const SharedText> items) override;
  void close(std::uint16_t code, std::string reason) override;
  std::size_t queued_bytes() const override;

 private:
  struct CloseRequest {
    std::uint16_t code;
    std::string reason;
  };

  // On the strand: starts the next write, or the pending close when nothing is left to write.
  void write_next();
  void start_close(const CloseRequest& request);
  // Moves the queue into frame_ as one message; returns false when the queue was empty.
  bool take_frame();
  // Empties the queue, returning its bytes to the budget. Requires mutex_.
  void drop_queue();
  // Drops what is queued and sends request's close frame once the write in flight is done.
  // Requires mutex_.
  void begin_close(CloseRequest request);
  // Starts the write chain on the strand unless it is running. Requires mutex_.
  void wake_writer();

  Stream ws_;
  WebSocketSessionOptions options_;
  std::string frame_;             // the message being written; touched only on the strand
  std::size_t frame_charge_ = 0;  // its bytes taken from the budget; touched only on the strand

  mutable std::mutex mutex_;
  std::vector<SharedText> queue_;      // guarded by mutex_
  std::size_t queued_bytes_ = 0;       // guarded by mutex_
  bool writing_ = false;               // guarded by mutex_: a write (or close) is in flight
  bool closing_ = false;               // guarded by mutex_
  std::optional<CloseRequest> close_;  // guarded by mutex_: to send once writes drain
};

}  // namespace kaiwa::edge
