#include "edge/websocket_connection.h"

#include <array>
#include <thread>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <unistd.h>

namespace kaiwa::edge {

namespace asio = boost::asio;
namespace frames = websocket_frames;
using ReadKind = frames::ReadEvent::Kind;

namespace {

// Reads per readiness before yielding the thread to other connections.
constexpr int kReadsPerWake = 4;

}  // namespace

template <typename Handler>
void WebSocketConnection::on_strand(Handler&& handler) {
  // clang-analyzer follows this post into the strand's queue, loses the operation there and
  // reports a leak that is not one; src/edge/.clang-tidy explains the suppression.
  asio::post(socket_.get_executor(), std::forward<Handler>(handler));
}

WebSocketConnection::WebSocketConnection(Socket&& socket, WebSocketConnections& owner,
                                         std::shared_ptr<WebSocketListener> listener)
    : socket_(std::move(socket)),
      owner_(owner),
      listener_(std::move(listener)),
      reader_(owner.options().max_message_bytes),
      heard_at_(owner.now()) {}

void WebSocketConnection::start() {
  on_strand([self = shared_from_this()] {
    boost::system::error_code ec;
    // Reads are attempted when the socket is readable and must never block the I/O thread.
    self->socket_.non_blocking(true, ec);
    if (ec) {
      self->finish();
      return;
    }
    self->listener_->on_open(self);
    self->wait_readable();
  });
}

// --- reading -----------------------------------------------------------------------------------

void WebSocketConnection::wait_readable() {
  // Waiting for readability needs no buffer: an idle connection holds none.
  socket_.async_wait(Socket::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
    if (ec) {
      self->finish();
      return;
    }
    self->on_readable();
  });
}

void WebSocketConnection::on_readable() {
  // One buffer per I/O thread, shared by all its connections: bytes are handled before the
  // handler returns, and a frame's unread tail moves to partial_.
  thread_local std::array<char, std::size_t{16} * 1024> scratch;
  for (int i = 0; i < kReadsPerWake; ++i) {
    boost::system::error_code ec;
    const std::size_t bytes = socket_.read_some(asio::buffer(scratch), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      wait_readable();
      return;
    }
    if (ec) {
      finish();  // the client hung up (or the socket failed) without a close frame
      return;
    }
    heard_at_.store(owner_.now(), std::memory_order_relaxed);
    pinged_at_.store(0, std::memory_order_relaxed);
    if (!consume(std::string_view(scratch.data(), bytes))) {
      return;
    }
  }
  on_strand([self = shared_from_this()] { self->on_readable(); });
}

bool WebSocketConnection::consume(std::string_view bytes) {
  std::string_view input = bytes;
  if (!partial_.empty()) {
    partial_.append(bytes);
    input = partial_;
  }
  std::size_t used = 0;
  while (true) {
    frames::ReadEvent event = reader_.next(input.substr(used));
    if (event.kind == ReadKind::kNeedMore && event.consumed == 0) {
      break;
    }
    used += event.consumed;
    if (event.kind == ReadKind::kPing) {
      std::lock_guard lock(mutex_);
      if (!closing_) {
        control_ += frames::control_frame(frames::Opcode::kPong, event.payload);
        wake_writer();
      }
    } else if (event.kind == ReadKind::kClose) {
      on_client_close(event.code);
      return false;
    } else if (event.kind == ReadKind::kError) {
      fail(event.code, event.payload);
      return false;
    }
    // Messages and pongs mean nothing to the event stream beyond showing the client is there.
  }
  // Keeps the unread tail of a frame (at most a header, a control frame or one message's
  // limit); an idle connection keeps no buffer at all.
  std::string rest(input.substr(used));
  partial_.swap(rest);
  if (partial_.empty()) {
    std::string().swap(partial_);
  }
  return true;
}

void WebSocketConnection::on_client_close(std::uint16_t code) {
  std::lock_guard lock(mutex_);
  client_closed_ = true;
  if (close_written_) {
    // The client answers the server's close (or both closed at once): once the server's close
    // has gone out, after_close_written ends the connection; if it has, end it now.
    if (close_sent_at_.load(std::memory_order_relaxed) != 0) {
      on_strand([self = shared_from_this()] { self->finish(); });
    }
    return;
  }
  // Echo the client's code (RFC 6455 §5.5.1), in place of any close the server had queued.
  closing_ = true;
  drop_queue();
  control_.clear();
  close_ = std::make_unique<CloseRequest>(CloseRequest{code, {}});
  wake_writer();
}

void WebSocketConnection::fail(std::uint16_t code, std::string_view why) {
  std::lock_guard lock(mutex_);
  // The client broke the protocol: say why and hang up without waiting for its answer.
  client_closed_ = true;
  if (close_written_) {
    on_strand([self = shared_from_this()] { self->finish(); });
    return;
  }
  closing_ = true;
  drop_queue();
  control_.clear();
  close_ = std::make_unique<CloseRequest>(CloseRequest{code, std::string(why)});
  wake_writer();
}

// --- writing -----------------------------------------------------------------------------------

bool WebSocketConnection::send(std::span<const SharedText> items) {
  std::size_t bytes = 0;
  for (const SharedText& item : items) {
    bytes += item->size() + 1;
  }
  std::lock_guard lock(mutex_);
  if (closing_) {
    return false;
  }
  const WebSocketConnectionOptions& options = owner_.options();
  if (queued_bytes_ + bytes > options.max_queued_bytes || !options.budget->try_take(bytes)) {
    begin_close(CloseRequest{close_code::kSlowConsumer, "too slow: resume from your last pos"});
    return false;
  }
  queue_.insert(queue_.end(), items.begin(), items.end());
  queued_bytes_ += bytes;
  wake_writer();
  return true;
}

void WebSocketConnection::close(std::uint16_t code, std::string reason) {
  std::lock_guard lock(mutex_);
  if (!closing_) {
    begin_close(CloseRequest{code, std::move(reason)});
  }
}

void WebSocketConnection::begin_close(CloseRequest request) {
  closing_ = true;
  drop_queue();
  close_ = std::make_unique<CloseRequest>(std::move(request));
  wake_writer();
}

void WebSocketConnection::wake_writer() {
  if (!writing_) {
    writing_ = true;
    on_strand([self = shared_from_this()] { self->write_next(); });
  }
}

void WebSocketConnection::drop_queue() {
  owner_.options().budget->give_back(queued_bytes_);
  queue_.clear();
  queued_bytes_ = 0;
}

std::size_t WebSocketConnection::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

bool WebSocketConnection::take_data_frame() {
  if (queue_.empty()) {
    return false;
  }
  const WebSocketFraming& framing = *owner_.options().framing;
  std::size_t payload = framing.open.size() + framing.close.size();
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    payload += (i > 0 ? framing.separator.size() : 0) + queue_[i]->size();
  }
  out_.reserve(out_.size() + payload + 10);
  out_ += frames::frame_header(frames::Opcode::kText, payload);
  out_ += framing.open;
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    if (i > 0) {
      out_ += framing.separator;
    }
    out_ += *queue_[i];
  }
  out_ += framing.close;
  queue_.clear();
  out_charge_ = queued_bytes_;
  queued_bytes_ = 0;
  return true;
}

void WebSocketConnection::write_next() {
  if (ended_) {
    return;
  }
  bool writes_close = false;
  {
    std::lock_guard lock(mutex_);
    out_.clear();
    out_ += control_;
    std::string().swap(control_);
    take_data_frame();
    if (out_.empty() && close_) {
      // A client's close without a code is answered without one.
      out_ = close_->code == frames::kNoStatus ? frames::frame_header(frames::Opcode::kClose, 0)
                                               : frames::close_frame(close_->code, close_->reason);
      close_.reset();
      close_written_ = true;
      writes_close = true;
    }
    if (out_.empty()) {
      writing_ = false;
      // An idle connection keeps no write buffer (memory per idle connection, issue 3).
      std::string().swap(out_);
      return;
    }
  }
  asio::async_write(
      socket_, asio::buffer(out_),
      [self = shared_from_this(), writes_close](boost::system::error_code ec, std::size_t) {
        self->owner_.options().budget->give_back(self->out_charge_);
        self->out_charge_ = 0;
        if (ec) {
          self->finish();
          return;
        }
        if (writes_close) {
          self->after_close_written();
        }
        self->write_next();
      });
}

void WebSocketConnection::after_close_written() {
  bool client_closed = false;
  {
    std::lock_guard lock(mutex_);
    client_closed = client_closed_;
    control_.clear();
  }
  if (client_closed) {
    // Our close answered the client's (or failed the connection): nothing more to say.
    boost::system::error_code ignored;
    socket_.shutdown(Socket::shutdown_send, ignored);
    finish();
    return;
  }
  // Reading goes on until the client's close arrives; the sweep hangs up if it never does.
  close_sent_at_.store(owner_.now(), std::memory_order_relaxed);
}

// --- keepalive and the end ---------------------------------------------------------------------

void WebSocketConnection::keepalive(std::uint32_t now) {
  // An I/O thread may record a read (or a close) after the sweep read its clock, a second
  // later than `now`: that is no time at all, not four billion seconds of silence.
  const auto since = [now](std::uint32_t then) { return now > then ? now - then : 0; };
  const WebSocketConnectionOptions& options = owner_.options();
  const std::uint32_t close_sent = close_sent_at_.load(std::memory_order_relaxed);
  const auto ping_after = static_cast<std::uint32_t>(options.ping_after.count());
  const std::uint32_t silent = since(heard_at_.load(std::memory_order_relaxed));
  const bool close_unanswered =
      close_sent != 0 &&
      since(close_sent) >= static_cast<std::uint32_t>(options.close_timeout.count());
  if (close_unanswered || silent >= 2 * ping_after) {
    on_strand([self = shared_from_this()] { self->finish(); });
    return;
  }
  if (silent >= ping_after && pinged_at_.load(std::memory_order_relaxed) == 0) {
    pinged_at_.store(now, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    if (!closing_) {
      control_ += frames::control_frame(frames::Opcode::kPing, {});
      wake_writer();
    }
  }
}

void WebSocketConnection::finish() {
  if (ended_) {
    return;
  }
  ended_ = true;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    drop_queue();
    control_.clear();
    close_.reset();
  }
  boost::system::error_code ignored;
  socket_.close(ignored);  // pending handlers end with operation_aborted
  std::string().swap(partial_);
  listener_->on_closed();
  listener_.reset();
  owner_.remove(this);
}

// --- the registry ------------------------------------------------------------------------------

WebSocketConnections::WebSocketConnections(asio::io_context& io, WebSocketConnectionOptions options)
    : io_(io), options_(options), timer_(io) {}

std::shared_ptr<WebSocketChannel> WebSocketConnections::serve(
    asio::ip::tcp::socket socket, std::shared_ptr<WebSocketListener> listener) {
  // The descriptor moves to a socket whose executor is a concrete strand (see Strand).
  boost::system::error_code ec;
  const auto protocol = socket.local_endpoint(ec).protocol();
  const int descriptor = ec ? -1 : socket.release(ec);
  WebSocketConnection::Socket typed(asio::make_strand(io_.get_executor()));
  if (!ec) {
    typed.assign(protocol, descriptor, ec);
    if (ec) {
      ::close(descriptor);  // released by the old socket, never taken by the new one
    }
  }
  if (ec) {
    listener->on_closed();
    return nullptr;
  }
  auto connection =
      std::make_shared<WebSocketConnection>(std::move(typed), *this, std::move(listener));
  {
    std::lock_guard lock(mutex_);
    connections_.emplace(connection.get(), connection);
  }
  connection->start();
  return connection;
}

void WebSocketConnections::remove(const WebSocketConnection* connection) {
  std::shared_ptr<WebSocketConnection> last;  // released after the lock
  std::lock_guard lock(mutex_);
  auto it = connections_.find(connection);
  if (it != connections_.end()) {
    last = std::move(it->second);
    connections_.erase(it);
  }
}

std::size_t WebSocketConnections::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

std::uint32_t WebSocketConnections::now() const {
  const auto elapsed = std::chrono::steady_clock::now() - epoch_;
  return static_cast<std::uint32_t>(
             std::chrono::duration_cast<std::chrono::seconds>(elapsed).count()) +
         1;
}

void WebSocketConnections::start_keepalive() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || keepalive_stopped_.load()) {
      return;
    }
    sweep();
    start_keepalive();
  });
}

void WebSocketConnections::stop_keepalive() {
  keepalive_stopped_.store(true);
  asio::post(io_, [this] { timer_.cancel(); });
}

void WebSocketConnections::sweep() {
  const std::uint32_t at = now();
  std::vector<std::shared_ptr<WebSocketConnection>> open;
  {
    std::lock_guard lock(mutex_);
    open.reserve(connections_.size());
    for (const auto& entry : connections_) {
      open.push_back(entry.second);
    }
  }
  for (const auto& connection : open) {
    connection->keepalive(at);
  }
}

void WebSocketConnections::close_all(std::uint16_t code, std::string_view reason,
                                     std::chrono::milliseconds spread) {
  std::vector<std::shared_ptr<WebSocketConnection>> open;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : connections_) {
      open.push_back(entry.second);
    }
  }
  if (open.empty()) {
    return;
  }
  constexpr std::size_t kSteps = 50;
  const auto pause = spread / kSteps;
  const std::size_t per_step = (open.size() + kSteps - 1) / kSteps;
  for (std::size_t i = 0; i < open.size(); ++i) {
    open[i]->close(code, std::string(reason));
    if ((i + 1) % per_step == 0 && i + 1 < open.size()) {
      std::this_thread::sleep_for(pause);
    }
  }
}

}  // namespace kaiwa::edge
