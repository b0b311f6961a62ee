// The HTTP/1.1 listener and its sessions (Boost.Beast on Asio, C++20 coroutines).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "edge/http_types.h"

namespace kaiwa::edge {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;
  // Threads that run handlers, which may block on the store (design.md §5). Enough of them lets
  // concurrent writes meet in one group commit.
  int worker_threads = 64;
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  // multipart/form-data bodies (uploads) may be this large.
  std::size_t max_upload_body_bytes = std::size_t{5} * 1024 * 1024 + std::size_t{64} * 1024;
  // Which requests may carry max_upload_body_bytes (the upload route); all others are held to
  // max_body_bytes whatever Content-Type they claim.
  std::function<bool(std::string_view method, std::string_view path)> accepts_upload;
  // How long a keep-alive connection may wait for its next request.
  std::chrono::seconds idle_timeout{60};
  // How long a request may take to arrive, and its response to leave.
  std::chrono::seconds transfer_timeout{60};
  // Connections served at once; more are closed on accept. Below the process's file limit
  // (20,000 here), leaving room for the store's and the logs' descriptors.
  std::size_t max_connections = 16000;

  // WebSocket connections: bytes a connection may have queued before it is closed as too slow;
  // the largest message a client may send; silence after which the server pings, and closes if
  // the pong does not come within as long again.
  std::size_t websocket_max_queued_bytes = std::size_t{16} * 1024 * 1024;
  // The same across all connections (queued and being written): past it, the connection that
  // asks for more is closed as too slow.
  std::size_t websocket_max_total_queued_bytes = std::size_t{512} * 1024 * 1024;
  std::size_t websocket_max_message_bytes = 4096;
  std::chrono::seconds websocket_ping_after{15};
  WebSocketFraming websocket_framing;
  // At shutdown, WebSocket clients are told to reconnect (1012) spread over this window, so
  // they do not all come back to the next server at the same instant.
  std::chrono::milliseconds websocket_close_spread{1000};
};

// Called on the connection's strand, so it must not block: it answers through the Responder
// (now, or later from any thread) and hands blocking work to the BlockingRunner.
using RequestHandler = std::function<void(HttpRequest&, Responder, const BlockingRunner&)>;
// Builds the response for a request the server refuses before any handler runs (413, 400).
using ErrorResponder = std::function<HttpResponse(int status, std::string_view message)>;

// Thread-safe: start once, then stop from any thread (e.g. a signal handler's executor).
// Each connection is a coroutine on its own strand; handlers run on the worker pool and the
// response is written back on the connection's strand.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler, ErrorResponder error_responder);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; returns the bound port (useful with port 0). Nothing is
  // accepted until serve(), so the caller can finish wiring with the real port known.
  core::Result<std::uint16_t> bind();
  // Starts accepting and serving on the I/O threads; returns at once.
  void serve();
  // Stops accepting, waits up to grace for in-flight requests, then stops every thread.
  void stop(std::chrono::milliseconds grace);
  // Blocks until SIGINT or SIGTERM arrives, then stops gracefully.
  void wait_for_signal(std::chrono::milliseconds grace);
  // True from the moment stop() begins: readiness turns false (operations.md).
  bool draining() const;
  // WebSocket connections open now.
  std::size_t websocket_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiwa::edge
