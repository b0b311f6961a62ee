#include "edge/http_server.h"

#include <array>
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "core/json_text.h"
#include "edge/websocket_connection.h"

namespace kaiwa::edge {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kRestarting = "server restarting: reconnect and resume";

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  RequestHandler handler;
  ErrorResponder error_responder;
  asio::io_context io{options.io_threads};
  asio::thread_pool workers{static_cast<std::size_t>(options.worker_threads)};
  Tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<int> in_flight{0};
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex stop_mutex;
  bool stopped = false;
  SendBudget send_budget{options.websocket_max_total_queued_bytes};
  WebSocketConnections websockets{
      io, WebSocketConnectionOptions{options.websocket_max_queued_bytes,
                                     options.websocket_max_message_bytes,
                                     options.websocket_ping_after, std::chrono::seconds(5),
                                     &options.websocket_framing, &send_budget}};

  Impl(HttpServerOptions o, RequestHandler h, ErrorResponder e)
      : options(std::move(o)), handler(std::move(h)), error_responder(std::move(e)) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(Tcp::socket socket);
  asio::awaitable<HttpResponse> run_handler(HttpRequest& request);
  // Answers status and closes, draining what the client still sends so it reads the answer.
  asio::awaitable<void> reject(beast::tcp_stream& stream, unsigned version, int status,
                               std::string_view message);
  // Answers the upgrade (Beast checks the request and writes the 101) and hands the bare socket
  // to the WebSocket layer; on a bad handshake Beast has answered 400 or 426.
  asio::awaitable<void> upgrade(beast::tcp_stream& stream,
                                const http::request<http::string_body>& request,
                                std::shared_ptr<WebSocketListener> listener);
};

namespace {

constexpr std::string_view kBodyTooLarge = "The request body is too large";

HttpRequest to_request(http::request<http::string_body>& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  std::string_view target = message.target();
  auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    request.query = std::string(target.substr(question + 1));
  }
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

// head: the answer to a HEAD request, which carries the headers of the GET answer (its
// Content-Length included) and no body.
http::response<http::string_body> to_message(HttpResponse&& response, unsigned version,
                                             bool keep_alive, bool head = false) {
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  message.set(http::field::server, "kaiwa");
  if (!response.content_type.empty()) {
    message.set(http::field::content_type, response.content_type);
  }
  for (auto& [name, value] : response.headers) {
    message.insert(name, value);
  }
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive && !response.close);
  message.prepare_payload();
  if (head) {
    const std::size_t length = message.body().size();
    message.body().clear();
    message.content_length(length);
  }
  return message;
}

bool is_multipart(std::string_view content_type) {
  constexpr std::string_view kMultipart = "multipart/form-data";
  if (content_type.size() < kMultipart.size()) {
    return false;
  }
  for (std::size_t i = 0; i < kMultipart.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != kMultipart[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

asio::awaitable<HttpResponse> HttpServer::Impl::run_handler(HttpRequest& request) {
  // The handler starts on this strand and may answer later from another thread (a worker, or a
  // write's commit); the answer resumes this coroutine on the strand. The request lives in this
  // suspended frame until then.
  auto initiate = [this, &request](auto completion) {
    using Completion = decltype(completion);
    auto shared = std::make_shared<Completion>(std::move(completion));
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto respond = [shared, answered](HttpResponse response) {
      if (answered->exchange(true)) {
        return;  // a handler that answered and then threw: the first answer stands
      }
      auto executor = asio::get_associated_executor(*shared);
      asio::post(executor, [shared, response = std::move(response)]() mutable {
        (*shared)(std::move(response));
      });
    };
    // Copies the path: a handler that answered and then threw may outlive the request.
    auto fail = [this, path = request.path, respond](const std::exception& e) {
      spdlog::error("{}",
                    core::json_log_line("handler failed", {{"path", path}, {"error", e.what()}}));
      respond(error_responder(500, "Internal server error"));
    };
    BlockingRunner run_blocking = [this, fail](std::function<void()> work) {
      asio::post(workers, [work = std::move(work), fail]() {
        try {
          work();
        } catch (const std::exception& e) {
          fail(e);
        }
      });
    };
    try {
      handler(request, respond, run_blocking);
    } catch (const std::exception& e) {
      fail(e);
    }
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(HttpResponse)>(
      initiate, asio::use_awaitable);
}

// Answers an error and closes. The client may still be sending: closing a socket with unread
// data makes the kernel send RST, which can destroy the response before the client reads it, so
// the rest is read and discarded for a bounded time first (a "lingering close").
asio::awaitable<void> HttpServer::Impl::reject(beast::tcp_stream& stream, unsigned version,
                                               int status, std::string_view message) {
  auto answer = to_message(error_responder(status, message), version, false);
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(5));
  co_await http::async_write(stream, answer, asio::redirect_error(asio::use_awaitable, ec));
  stream.socket().shutdown(Tcp::socket::shutdown_send, ec);
  constexpr std::size_t kMaxDiscardBytes = std::size_t{64} * 1024 * 1024;
  std::array<char, std::size_t{16} * 1024> discard{};
  std::size_t discarded = 0;
  stream.expires_after(std::chrono::seconds(2));
  while (!ec && discarded < kMaxDiscardBytes) {
    discarded += co_await stream.async_read_some(asio::buffer(discard),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> HttpServer::Impl::session(Tcp::socket socket) {
  beast::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  const std::string peer_address = ec ? std::string() : peer.address().to_string();
  ec = {};
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  // Set when a request upgrades the connection: served after the loop, once the HTTP request's
  // locals are gone, so an idle WebSocket keeps as little memory as possible.
  std::shared_ptr<WebSocketListener> websocket_listener;
  http::request<http::string_body> upgrade_request;
  while (!stopping.load()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    // Beast checks Content-Length against body_limit as soon as the header is parsed, so the
    // header is read under the largest limit and the request's own limit is applied below.
    parser.body_limit(std::max(options.max_body_bytes, options.max_upload_body_bytes));
    stream.expires_after(options.idle_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::body_limit) {
      co_await reject(stream, parser.get().version(), 413, kBodyTooLarge);
      break;
    }
    if (ec == http::error::header_limit) {
      // The version is unknown when the request line itself is too long: answer as HTTP/1.1.
      constexpr unsigned kHttp11 = 11;
      co_await reject(stream, kHttp11, 431, "The request line and headers exceed 16 KiB");
      break;
    }
    if (ec) {
      break;  // closed, idle timeout, or a malformed header: nothing to answer
    }
    const auto& header = parser.get();
    const std::string_view target = header.target();
    const bool upload =
        is_multipart(header[http::field::content_type]) && options.accepts_upload &&
        options.accepts_upload(header.method_string(), target.substr(0, target.find('?')));
    const std::size_t limit = upload ? options.max_upload_body_bytes : options.max_body_bytes;
    const unsigned version = header.version();
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await reject(stream, version, 413, kBodyTooLarge);
      break;
    }
    parser.body_limit(limit);
    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      // Clients such as curl wait for this before sending a large body.
      http::response<http::empty_body> proceed{http::status::continue_, version};
      co_await http::async_write(stream, proceed, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        break;
      }
    }
    in_flight.fetch_add(1);
    stream.expires_after(options.transfer_timeout);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::body_limit) {
      in_flight.fetch_sub(1);
      co_await reject(stream, version, 413, kBodyTooLarge);
      break;
    }
    if (ec) {
      in_flight.fetch_sub(1);
      break;
    }
    bool keep_alive = parser.get().keep_alive();
    HttpRequest request = to_request(parser.get());
    request.remote_address = peer_address;
    HttpResponse response = co_await run_handler(request);
    if (response.websocket) {
      if (response.status == 101 && beast::websocket::is_upgrade(parser.get())) {
        in_flight.fetch_sub(1);
        upgrade_request = parser.release();
        websocket_listener = std::move(response.websocket);
        break;
      }
      response.websocket->on_closed();
      response = error_responder(426, "This endpoint speaks WebSocket only");
      response.set_header("Upgrade", "websocket");
    }
    auto message = to_message(std::move(response), version, keep_alive && !stopping.load(),
                              parser.get().method() == http::verb::head);
    keep_alive = message.keep_alive();
    // A fresh deadline: the time the handler took (a commit under load) must not eat into it.
    stream.expires_after(options.transfer_timeout);
    co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    in_flight.fetch_sub(1);
    if (ec || !keep_alive) {
      break;
    }
  }
  if (websocket_listener) {
    co_await upgrade(stream, upgrade_request, std::move(websocket_listener));
    co_return;
  }
  stream.socket().shutdown(Tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> HttpServer::Impl::upgrade(beast::tcp_stream& stream,
                                                const http::request<http::string_body>& request,
                                                std::shared_ptr<WebSocketListener> listener) {
  beast::error_code ec;
  {
    beast::websocket::stream<beast::tcp_stream&> handshake(stream);
    handshake.set_option(
        beast::websocket::stream_base::decorator([](beast::websocket::response_type& response) {
          response.set(http::field::server, "kaiwa");
        }));
    stream.expires_after(options.transfer_timeout);
    co_await handshake.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) {
    listener->on_closed();
    co_return;
  }
  stream.expires_never();
  // The HTTP session's frame ends here, so an idle WebSocket keeps only what it needs; it
  // counts against max_connections through the registry until it ends.
  auto connection = websockets.serve(stream.release_socket(), std::move(listener));
  if (connection && stopping.load()) {
    connection->close(close_code::kServiceRestart, std::string(kRestarting));
  }
}

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  while (!stopping.load()) {
    beast::error_code ec;
    Tcp::socket socket = co_await acceptor.async_accept(
        asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping.load()) {
        co_return;
      }
      // Out of descriptors or a transient failure: keep serving what we have.
      spdlog::warn("{}", core::json_log_line("accept failed", {{"error", ec.message()}}));
      continue;
    }
    if (connections.load() + websockets.size() >= options.max_connections) {
      socket.close(ec);  // at capacity: refuse rather than run out of descriptors or memory
      continue;
    }
    socket.set_option(Tcp::no_delay(true), ec);
    connections.fetch_add(1);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)),
                   [this](const std::exception_ptr&) { connections.fetch_sub(1); });
  }
}

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler,
                       ErrorResponder error_responder)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler),
                                   std::move(error_responder))) {}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

core::Result<std::uint16_t> HttpServer::bind() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return core::Error::invalid_argument("invalid listen address: " + impl_->options.host);
  }
  Tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    impl_->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return core::Error::unavailable("cannot listen on " + impl_->options.host + ":" +
                                    std::to_string(impl_->options.port) + ": " + ec.message());
  }
  return impl_->acceptor.local_endpoint().port();
}

void HttpServer::serve() {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->websockets.start_keepalive();
  for (int i = 0; i < impl_->options.io_threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->stop_mutex);
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  impl_->stopping.store(true);
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  auto deadline = std::chrono::steady_clock::now() + grace;
  impl_->websockets.close_all(close_code::kServiceRestart, kRestarting,
                              impl_->options.websocket_close_spread);
  while ((impl_->in_flight.load() > 0 || websocket_count() > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->websockets.stop_keepalive();
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) {
    if (thread.joinable()) {
      thread.join();
    }
  }
  impl_->workers.join();
}

bool HttpServer::draining() const { return impl_->stopping.load(); }

std::size_t HttpServer::websocket_count() const { return impl_->websockets.size(); }

void HttpServer::wait_for_signal(std::chrono::milliseconds grace) {
  asio::io_context signals_io;
  asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](const beast::error_code&, int) {});
  signals_io.run();
  spdlog::info("{}", core::json_log_line("shutting down"));
  stop(grace);
}

}  // namespace kaiwa::edge
