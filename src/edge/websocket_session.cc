#include "edge/websocket_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace kaiwa::edge {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WebSocketSession::WebSocketSession(asio::ip::tcp::socket&& socket,
                                   const WebSocketSessionOptions& options)
    : ws_(std::move(socket)), options_(options) {}

asio::awaitable<void> WebSocketSession::run(beast::http::request<beast::http::string_body> request,
                                            std::shared_ptr<WebSocketListener> listener) {
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  timeouts.idle_timeout = options_.ping_after * 2;
  timeouts.keep_alive_pings = true;  // ping at half the idle timeout; close without a pong
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "kaiwa");
  }));
  ws_.read_message_max(options_.max_message_bytes);
  ws_.auto_fragment(false);
  ws_.text(true);

  beast::error_code ec;
  co_await ws_.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
  request = {};  // the frame lives as long as the connection: keep no headers in it
  if (ec) {
    listener->on_closed();
    co_return;
  }
  listener->on_open(shared_from_this());
  // Client messages mean nothing to the stream; reading keeps pings, pongs, the close handshake
  // and the idle timeout going, and a malformed frame ends only this connection.
  beast::flat_buffer buffer;
  while (!ec) {
    co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    buffer.clear();
    buffer.shrink_to_fit();
  }
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    drop_queue();
  }
  listener->on_closed();
}

bool WebSocketSession::send(std::span<const SharedText> items) {
  std::size_t bytes = 0;
  for (const SharedText& item : items) {
    bytes += item->size() + 1;
  }
  std::lock_guard lock(mutex_);
  if (closing_) {
    return false;
  }
  if (queued_bytes_ + bytes > options_.max_queued_bytes || !options_.budget->try_take(bytes)) {
    begin_close(CloseRequest{close_code::kSlowConsumer, "too slow: resume from your last pos"});
    return false;
  }
  queue_.insert(queue_.end(), items.begin(), items.end());
  queued_bytes_ += bytes;
  wake_writer();
  return true;
}

void WebSocketSession::close(std::uint16_t code, std::string reason) {
  std::lock_guard lock(mutex_);
  if (!closing_) {
    begin_close(CloseRequest{code, std::move(reason)});
  }
}

void WebSocketSession::begin_close(CloseRequest request) {
  closing_ = true;
  drop_queue();
  close_ = std::move(request);
  wake_writer();
}

void WebSocketSession::wake_writer() {
  if (!writing_) {
    writing_ = true;
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }
}

void WebSocketSession::drop_queue() {
  options_.budget->give_back(queued_bytes_);
  queue_.clear();
  queued_bytes_ = 0;
}

std::size_t WebSocketSession::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

bool WebSocketSession::take_frame() {
  std::vector<SharedText> items;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      return false;
    }
    items.swap(queue_);
    frame_charge_ = queued_bytes_;
    queued_bytes_ = 0;
  }
  const WebSocketFraming& framing = *options_.framing;
  frame_.clear();
  frame_ += framing.open;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      frame_ += framing.separator;
    }
    frame_ += *items[i];
  }
  frame_ += framing.close;
  return true;
}

void WebSocketSession::write_next() {
  if (take_frame()) {
    ws_.async_write(asio::buffer(frame_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->options_.budget->give_back(self->frame_charge_);
                      self->frame_charge_ = 0;
                      if (ec) {
                        {
                          std::lock_guard lock(self->mutex_);
                          self->closing_ = true;
                        }
                        // Ends the read loop too, which ends the session.
                        beast::error_code ignored;
                        beast::get_lowest_layer(self->ws_).close(ignored);
                        return;
                      }
                      self->write_next();
                    });
    return;
  }
  std::optional<CloseRequest> close_request;
  {
    std::lock_guard lock(mutex_);
    if (!queue_.empty()) {
      // Raced with a send between take_frame and here: write again.
      asio::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
      return;
    }
    close_request.swap(close_);
    if (!close_request) {
      writing_ = false;
      // An idle connection keeps no write buffer (memory per idle connection, issue 3).
      std::string().swap(frame_);
      return;
    }
  }
  start_close(*close_request);
}

void WebSocketSession::start_close(const CloseRequest& request) {
  websocket::close_reason reason(static_cast<websocket::close_code>(request.code), request.reason);
  ws_.async_close(reason, [self = shared_from_this()](beast::error_code) {
    // The read loop receives the peer's close (or times out) and ends the session.
  });
}

}  // namespace kaiwa::edge
