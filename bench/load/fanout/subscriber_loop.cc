#include "fanout/subscriber_loop.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fanout/clock.h"
#include "fanout/errors.h"

namespace fanout {
namespace {

// epoll user data of the command eventfd; subscriber indices are far below it.
constexpr std::uint64_t kCommandTag = ~std::uint64_t{0};
constexpr std::size_t kReadBufferBytes = std::size_t{256} * 1024;
constexpr int kMaxEvents = 512;
// A refused TCP connect is retried after this pause (a restarting server), not in a busy loop.
constexpr std::int64_t kRetryDelayNs = 100 * kNsPerMs;
// Close codes of the stream protocol: resumable ones reconnect with since=<last pos>.
constexpr int kCloseServiceRestart = 1012;
constexpr int kCloseSlowConsumer = 4001;
constexpr int kCloseAuthGone = 4003;

[[noreturn]] void fail_system(const char* what) {
  throw std::runtime_error(std::string(what) + ": " + errno_text(errno));
}

// Binds the socket to 127.0.0.<2 + n % count> before connecting: every source address has its
// own 28k ephemeral ports, so a reconnect storm cannot run out of them while the dropped
// connections still hold theirs.
bool bind_source(int fd, std::size_t n, int count) {
  const int one = 1;
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr =
      htonl((127u << 24) | static_cast<std::uint32_t>(2 + n % static_cast<std::size_t>(count)));
  return bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) == 0;
}

}  // namespace

SubscriberLoop::SubscriberLoop(LoopOptions options, const std::vector<Room>& rooms,
                               std::vector<SubscriberSpec> subscribers)
    : options_(std::move(options)), rooms_(rooms), read_buffer_(kReadBufferBytes) {
  subscribers_.resize(subscribers.size());
  for (std::size_t i = 0; i < subscribers.size(); ++i) {
    subscribers_[i].spec = std::move(subscribers[i]);
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  command_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || command_fd_ < 0) {
    fail_system("epoll/eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kCommandTag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, command_fd_, &event);
}

SubscriberLoop::~SubscriberLoop() {
  for (Subscriber& subscriber : subscribers_) {
    if (subscriber.fd >= 0) {
      close(subscriber.fd);
    }
  }
  close(command_fd_);
  close(epoll_fd_);
}

void SubscriberLoop::run() {
  for (std::size_t i = subscribers_.size(); i-- > 0;) {
    connect_queue_.push_back(i);
  }
  std::vector<epoll_event> events(kMaxEvents);
  while (!stop_requested_.load()) {
    start_due_connects();
    const int count = epoll_wait(epoll_fd_, events.data(), kMaxEvents, next_timeout_ms());
    if (count < 0 && errno != EINTR) {
      fail_system("epoll_wait");
    }
    for (int i = 0; i < count; ++i) {
      if (events[static_cast<std::size_t>(i)].data.u64 == kCommandTag) {
        on_command();
      } else {
        on_io(static_cast<std::size_t>(events[static_cast<std::size_t>(i)].data.u64),
              events[static_cast<std::size_t>(i)].events);
      }
    }
  }
  for (std::size_t i = 0; i < subscribers_.size(); ++i) {
    if (subscribers_[i].fd >= 0) {
      drop(i, Reconnect::kNever);
    }
  }
}

void SubscriberLoop::stop() {
  stop_requested_.store(true);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(command_fd_, &one, sizeof one);
}

void SubscriberLoop::storm(AcceptedPrefix accepted_prefix) {
  std::lock_guard lock(mutex_);
  storm_requested_ = true;
  requested_prefix_ = std::move(accepted_prefix);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(command_fd_, &one, sizeof one);
}

std::string SubscriberLoop::first_error() const {
  std::lock_guard lock(mutex_);
  return first_error_;
}

std::uint64_t SubscriberLoop::lost(const std::vector<const SeqSet*>& acked_by_room) const {
  std::uint64_t lost = 0;
  for (const Subscriber& subscriber : subscribers_) {
    lost += subscriber.seqs.missing_from(*acked_by_room[subscriber.spec.room]);
  }
  return lost;
}

void SubscriberLoop::start_due_connects() {
  const std::int64_t now = now_ns();
  for (std::size_t i = 0; i < delayed_.size();) {
    if (delayed_[i].due_ns <= now) {
      connect_queue_.push_back(delayed_[i].index);
      delayed_[i] = delayed_.back();
      delayed_.pop_back();
    } else {
      ++i;
    }
  }
  while (in_flight_ < options_.connect_window && !connect_queue_.empty()) {
    const std::size_t index = connect_queue_.back();
    connect_queue_.pop_back();
    start_connect(index);
  }
}

int SubscriberLoop::next_timeout_ms() const {
  if (delayed_.empty()) {
    return -1;
  }
  std::int64_t earliest = delayed_.front().due_ns;
  for (const Delayed& delayed : delayed_) {
    earliest = std::min(earliest, delayed.due_ns);
  }
  const std::int64_t wait = earliest - now_ns();
  return wait <= 0 ? 0 : static_cast<int>(wait / kNsPerMs + 1);
}

std::unique_ptr<Session> SubscriberLoop::new_session(std::size_t index) const {
  const Subscriber& subscriber = subscribers_[index];
  if (options_.endpoint.protocol == Protocol::kNats) {
    return make_nats_session("room." + std::to_string(rooms_[subscriber.spec.room].id));
  }
  // A subscriber that has been live resumes from the last position it saw; a new one starts
  // at the head of the stream.
  return make_kaiwa_session(
      {.host = options_.endpoint.host_header,
       .token = subscriber.spec.token,
       .since = subscriber.last_pos,
       .seed = options_.seed * 1'000'003 + index + stats_.tcp_connects.get()});
}

void SubscriberLoop::start_connect(std::size_t index) {
  Subscriber& subscriber = subscribers_[index];
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fail_system("socket (is the fd limit too low for this many connections?)");
  }
  if (options_.source_ips > 0 && !bind_source(fd, index, options_.source_ips)) {
    fail_system("bind to a 127.0.0.x source address");
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  subscriber.fd = fd;
  subscriber.state = State::kConnecting;
  subscriber.polling_out = true;
  subscriber.session = new_session(index);
  ++in_flight_;
  stats_.tcp_connects.add();
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT;
  event.data.u64 = index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  const auto* address = reinterpret_cast<const sockaddr*>(&options_.endpoint.address);
  if (connect(fd, address, sizeof options_.endpoint.address) != 0 && errno != EINPROGRESS) {
    note_error("connect: " + errno_text(errno));
    drop(index, Reconnect::kLater);
  }
  // Completion (or failure) is reported as EPOLLOUT; see on_io.
}

void SubscriberLoop::finish_connect(std::size_t index) {
  Subscriber& subscriber = subscribers_[index];
  int error = 0;
  socklen_t size = sizeof error;
  getsockopt(subscriber.fd, SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) {
    note_error("connect: " + errno_text(error));
    drop(index, Reconnect::kLater);
    return;
  }
  subscriber.state = State::kOpening;
  subscriber.session->start(subscriber.out);
  flush(index);
}

void SubscriberLoop::drop(std::size_t index, Reconnect reconnect, bool abortive) {
  Subscriber& subscriber = subscribers_[index];
  if (abortive) {
    const linger reset{.l_onoff = 1, .l_linger = 0};
    setsockopt(subscriber.fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  }
  close(subscriber.fd);  // also removes it from the epoll set
  subscriber.fd = -1;
  subscriber.session.reset();
  subscriber.out.clear();
  subscriber.remote_close_code = 0;
  if (subscriber.state == State::kConnecting || subscriber.state == State::kOpening) {
    --in_flight_;
  } else if (subscriber.state == State::kLive) {
    stats_.live.subtract();
  }
  switch (reconnect) {
    case Reconnect::kNow:
      subscriber.state = State::kIdle;
      connect_queue_.push_back(index);
      break;
    case Reconnect::kLater:
      subscriber.state = State::kIdle;
      delayed_.push_back({now_ns() + kRetryDelayNs, index});
      break;
    case Reconnect::kNever:
      subscriber.state = State::kFailed;
      stats_.failed.add();
      break;
  }
}

void SubscriberLoop::on_io(std::size_t index, std::uint32_t events) {
  Subscriber& subscriber = subscribers_[index];
  if (subscriber.fd < 0) {
    return;  // dropped earlier in this batch of events
  }
  if (subscriber.state == State::kConnecting) {
    finish_connect(index);
    return;
  }
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
    read_from(index);
  }
  if (subscriber.fd >= 0 && (events & EPOLLOUT) != 0) {
    flush(index);
  }
}

void SubscriberLoop::read_from(std::size_t index) {
  Subscriber& subscriber = subscribers_[index];
  while (true) {
    const ssize_t received = recv(subscriber.fd, read_buffer_.data(), read_buffer_.size(), 0);
    if (received == 0 || (received < 0 && errno != EAGAIN && errno != EINTR)) {
      // The server went away without a close frame, or reset us. A live stream resumes at
      // once; one that never got going waits a little, so a server turning connections away
      // is not hammered.
      stats_.drops.add();
      drop(index, subscriber.state == State::kLive ? Reconnect::kNow : Reconnect::kLater);
      return;
    }
    if (received < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    received_at_ns_ = now_ns();
    current_ = index;
    const std::string_view bytes(read_buffer_.data(), static_cast<std::size_t>(received));
    if (!subscriber.session->feed(bytes, subscriber.out, *this)) {
      note_error(subscriber.session->error());
      stats_.drops.add();
      // A refused upgrade (bad token, no such endpoint) will not get better by retrying.
      drop(index, subscriber.session->refused() ? Reconnect::kNever : Reconnect::kLater);
      return;
    }
    if (subscriber.remote_close_code != 0) {
      const int code = subscriber.remote_close_code;
      flush(index);  // the close echo; best effort, the socket closes right after
      const bool resumable = code != kCloseAuthGone;
      drop(index, resumable ? Reconnect::kNow : Reconnect::kNever);
      return;
    }
    if (static_cast<std::size_t>(received) < read_buffer_.size()) {
      break;
    }
  }
  if (!subscriber.out.empty()) {
    flush(index);
  }
}

void SubscriberLoop::flush(std::size_t index) {
  Subscriber& subscriber = subscribers_[index];
  while (!subscriber.out.empty()) {
    const ssize_t sent =
        send(subscriber.fd, subscriber.out.data(), subscriber.out.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno != EAGAIN) {
        subscriber.out.clear();  // the read side will see the error and drop the connection
      }
      break;
    }
    subscriber.out.erase(0, static_cast<std::size_t>(sent));
  }
  watch(index, !subscriber.out.empty());
}

void SubscriberLoop::watch(std::size_t index, bool want_out) {
  Subscriber& subscriber = subscribers_[index];
  if (subscriber.polling_out == want_out) {
    return;
  }
  subscriber.polling_out = want_out;
  epoll_event event{};
  event.events = EPOLLIN | (want_out ? EPOLLOUT : 0u);
  event.data.u64 = index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, subscriber.fd, &event);
}

void SubscriberLoop::on_command() {
  std::uint64_t value = 0;
  [[maybe_unused]] const ssize_t got = read(command_fd_, &value, sizeof value);
  bool storm_now = false;
  {
    std::lock_guard lock(mutex_);
    if (storm_requested_) {
      storm_requested_ = false;
      storm_now = true;
      accepted_prefix_ = std::move(requested_prefix_);
    }
  }
  if (storm_now) {
    begin_storm();
  }
}

void SubscriberLoop::begin_storm() {
  storm_active_ = true;
  for (std::size_t i = 0; i < subscribers_.size(); ++i) {
    Subscriber& subscriber = subscribers_[i];
    subscriber.storm_ready = false;
    subscriber.caught_up = false;
    if (subscriber.fd >= 0) {
      drop(i, Reconnect::kNow, /*abortive=*/true);
    }
  }
}

void SubscriberLoop::on_ready(std::int64_t pos) {
  Subscriber& subscriber = subscribers_[current_];
  subscriber.last_pos = std::max(subscriber.last_pos, pos);
  if (subscriber.state != State::kOpening) {
    return;
  }
  subscriber.state = State::kLive;
  --in_flight_;
  stats_.live.add();
  if (storm_active_ && !subscriber.storm_ready) {
    subscriber.storm_ready = true;
    subscriber.catch_up_target = accepted_prefix_(subscriber.spec.room);
    stats_.storm_ready.add();
    if (stats_.storm_ready.get() + stats_.failed.get() == subscribers_.size()) {
      stats_.storm_all_ready_ns.store(received_at_ns_);
    }
    check_caught_up(subscriber);
  }
}

void SubscriberLoop::on_event(const StreamEvent& event) {
  Subscriber& subscriber = subscribers_[current_];
  subscriber.last_pos = std::max(subscriber.last_pos, event.pos);
  switch (event.type) {
    case StreamEvent::Type::kMessageCreated:
      record_delivery(subscriber, event);
      break;
    case StreamEvent::Type::kResync:
      stats_.resyncs.add();
      break;
    case StreamEvent::Type::kReady:
    case StreamEvent::Type::kOther:
      break;
  }
}

void SubscriberLoop::record_delivery(Subscriber& subscriber, const StreamEvent& event) {
  stats_.deliveries.add();
  const Room& room = rooms_[subscriber.spec.room];
  if (!event.has_marker || event.room_id != room.id || event.seq >= room.seq_limit) {
    stats_.foreign.add();
    return;
  }
  if (!subscriber.seqs.insert(event.seq)) {
    stats_.duplicates.add();
    return;
  }
  stats_.fresh.add();
  latency_.record(received_at_ns_ - event.sent_ns);
  if (storm_active_) {
    check_caught_up(subscriber);
  }
}

void SubscriberLoop::check_caught_up(Subscriber& subscriber) {
  if (!subscriber.storm_ready || subscriber.caught_up ||
      subscriber.seqs.prefix() < subscriber.catch_up_target) {
    return;
  }
  subscriber.caught_up = true;
  stats_.storm_caught_up.add();
  if (stats_.storm_caught_up.get() + stats_.failed.get() == subscribers_.size()) {
    stats_.storm_all_caught_up_ns.store(now_ns());
  }
}

void SubscriberLoop::on_remote_close(int code, std::string_view reason) {
  stats_.remote_closes.add();
  subscribers_[current_].remote_close_code = code;
  if (code != kCloseServiceRestart && code != kCloseSlowConsumer) {
    note_error("server closed the stream with " + std::to_string(code) + " " + std::string(reason));
  }
}

void SubscriberLoop::note_error(const std::string& error) {
  std::lock_guard lock(mutex_);
  if (first_error_.empty()) {
    first_error_ = error;
    std::fprintf(stderr, "ws_fanout: %s\n", error.c_str());
  }
}

}  // namespace fanout
