// The server's side of an upgraded connection, after Beast has done the handshake: Kaiwa's own
// framing (websocket_frames.h) on the bare socket, written for a small idle footprint (issue 3:
// at most 2 KiB of server memory per idle connection). An idle connection holds no buffer and no
// timer: it waits for readability without a read buffer, and one keepalive sweep per server
// (WebSocketConnections) pings, times out and finishes closes for all of them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "edge/websocket.h"
#include "edge/websocket_frames.h"

namespace kaiwa::edge {

class WebSocketConnections;

struct WebSocketConnectionOptions {
  std::size_t max_queued_bytes = 0;
  std::size_t max_message_bytes = 0;
  // Silence after which the server pings; as long again without a word and it hangs up.
  std::chrono::seconds ping_after{15};
  // How long a close the server started waits for the client's close before hanging up.
  std::chrono::seconds close_timeout{5};
  const WebSocketFraming* framing = nullptr;
  SendBudget* budget = nullptr;
};

// Writes are chained on the connection's strand: whatever was queued while one write was in
// flight goes out as the next single message, so a fast producer costs one syscall per batch
// rather than one per item (NATS coalesces the same way). Thread-safe as WebSocketChannel says.
class WebSocketConnection final : public WebSocketChannel,
                                  public std::enable_shared_from_this<WebSocketConnection> {
 public:
  // Every handler of the connection runs on its strand. The executor type is concrete, not
  // any_io_executor, whose type erasure costs a heap allocation per copy on every idle socket.
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Strand>;

  WebSocketConnection(Socket&& socket, WebSocketConnections& owner,
                      std::shared_ptr<WebSocketListener> listener);

  // Tells the listener the connection is open and starts reading.
  void start();

  bool send(std::span<const SharedText> items) override;
  void close(std::uint16_t code, std::string reason) override;
  std::size_t queued_bytes() const override;

  // From the keepalive sweep (any thread), with the sweep's clock in seconds: pings a silent
  // client, hangs up on one silent too long or one that never answers a close.
  void keepalive(std::uint32_t now);

 private:
  struct CloseRequest {
    std::uint16_t code;
    std::string reason;
  };

  // Runs handler on the connection's strand, later.
  template <typename Handler>
  void on_strand(Handler&& handler);
  void wait_readable();
  void on_readable();
  // Handles a client's bytes; false when the connection is closing and reading should stop.
  bool consume(std::string_view bytes);
  void on_client_close(std::uint16_t code);
  void fail(std::uint16_t code, std::string_view why);

  // On the strand: writes what is queued (control frames first, then the data as one message),
  // or the close frame once nothing else is left; stops when there is nothing to write.
  void write_next();
  // Moves the data queue into out_ as one text frame; false when it was empty. Requires mutex_.
  bool take_data_frame();
  void after_close_written();
  // Ends the connection once, on the strand: socket closed, listener told, registry left.
  void finish();

  // Drops what is queued and queues the close frame. Requires mutex_.
  void begin_close(CloseRequest request);
  // Starts the write chain on the strand unless it is running. Requires mutex_.
  void wake_writer();
  void drop_queue();

  Socket socket_;
  WebSocketConnections& owner_;
  std::shared_ptr<WebSocketListener> listener_;  // touched only on the strand after start()
  websocket_frames::FrameReader reader_;         // touched only on the strand
  std::string partial_;         // a client frame not yet whole; touched only on the strand
  std::string out_;             // the bytes being written; touched only on the strand
  std::size_t out_charge_ = 0;  // their bytes taken from the budget; touched only on the strand
  bool ended_ = false;          // touched only on the strand

  mutable std::mutex mutex_;
  std::vector<SharedText> queue_;  // guarded by mutex_
  std::size_t queued_bytes_ = 0;   // guarded by mutex_
  std::string control_;            // guarded by mutex_: pongs and pings to send first
  // Guarded by mutex_: to send once writes drain. A pointer, as most connections never close
  // from this side: 8 bytes on every idle connection instead of 48.
  std::unique_ptr<CloseRequest> close_;
  bool writing_ = false;        // guarded by mutex_: a write is in flight
  bool closing_ = false;        // guarded by mutex_: no more data will be sent
  bool client_closed_ = false;  // guarded by mutex_: the client closed or broke the protocol
  bool close_written_ = false;  // guarded by mutex_: the server's close frame is written

  // The sweep's clock (seconds) when the client was last heard from, when the server pinged it
  // (0: no ping outstanding) and when the server's close went out (0: not yet).
  std::atomic<std::uint32_t> heard_at_;
  std::atomic<std::uint32_t> pinged_at_{0};
  std::atomic<std::uint32_t> close_sent_at_{0};
};

// Every upgraded connection of a server: the registry that shutdown and the metrics read, and
// the one keepalive sweep (once a second) that stands in for a timer per connection.
// Thread-safe.
class WebSocketConnections {
 public:
  WebSocketConnections(boost::asio::io_context& io, WebSocketConnectionOptions options);

  const WebSocketConnectionOptions& options() const { return options_; }

  // Takes over an upgraded socket (moved onto a strand of its own) and starts serving it.
  std::shared_ptr<WebSocketChannel> serve(boost::asio::ip::tcp::socket socket,
                                          std::shared_ptr<WebSocketListener> listener);
  void remove(const WebSocketConnection* connection);
  std::size_t size() const;

  // Starts the keepalive sweep; stop_keepalive ends it (at shutdown, from any thread).
  void start_keepalive();
  void stop_keepalive();
  // Closes every connection with code, spread over `spread` so clients do not all reconnect to
  // the next server in the same instant. Blocks for about `spread`.
  void close_all(std::uint16_t code, std::string_view reason, std::chrono::milliseconds spread);

  // The sweep's clock: whole seconds since this object was made, starting at 1 (0 means "never").
  std::uint32_t now() const;

 private:
  void sweep();

  boost::asio::io_context& io_;
  WebSocketConnectionOptions options_;
  const std::chrono::steady_clock::time_point epoch_ = std::chrono::steady_clock::now();
  boost::asio::steady_timer timer_;
  std::atomic<bool> keepalive_stopped_{false};
  mutable std::mutex mutex_;
  std::unordered_map<const WebSocketConnection*, std::shared_ptr<WebSocketConnection>>
      connections_;  // guarded by mutex_
};

}  // namespace kaiwa::edge
