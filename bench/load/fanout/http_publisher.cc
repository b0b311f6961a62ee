#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <stdexcept>

#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fanout/clock.h"
#include "fanout/errors.h"
#include "fanout/publisher.h"
#include "fanout/stream_events.h"

namespace fanout {
namespace {

std::string form_encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' || byte == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

// Content-Length of a response head, or npos when it has none.
std::size_t content_length(std::string_view head) {
  static constexpr std::string_view kName = "content-length:";
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
       at = head.find("\r\n", at + 2)) {
    const std::string_view line = head.substr(at + 2, kName.size());
    bool match = line.size() == kName.size();
    for (std::size_t i = 0; match && i < kName.size(); ++i) {
      const char c = line[i];
      match = (c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) == kName[i];
    }
    if (match) {
      std::string_view digits = head.substr(at + 2 + kName.size());
      while (!digits.empty() && digits.front() == ' ') {
        digits.remove_prefix(1);
      }
      std::size_t length = 0;
      std::from_chars(digits.data(), digits.data() + digits.size(), length);
      return length;
    }
  }
  return std::string_view::npos;
}

class HttpPublisher final : public Publisher {
 public:
  HttpPublisher(const HttpPublisherOptions& options, const std::vector<Room>& rooms,
                PostLedger& ledger)
      : options_(options), rooms_(rooms), ledger_(ledger), read_buffer_(std::size_t{64} * 1024) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    connections_.resize(options.connections);
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      open(i);
    }
  }

  ~HttpPublisher() override {
    for (const Connection& connection : connections_) {
      if (connection.fd >= 0) {
        close(connection.fd);
      }
    }
    close(epoll_fd_);
  }

  void send(const Post& post) override {
    const std::size_t index = next_connection_++ % connections_.size();
    Connection& connection = connections_[index];
    append_request(connection.out, post);
    connection.in_flight.push_back(post);
    flush(index);
  }

  void wait(std::int64_t deadline_ns) override {
    std::array<epoll_event, 64> events{};
    const std::int64_t remaining = std::max<std::int64_t>(deadline_ns - now_ns(), 0);
    const timespec timeout{.tv_sec = remaining / kNsPerSecond, .tv_nsec = remaining % kNsPerSecond};
    const int count = epoll_pwait2(epoll_fd_, events.data(), events.size(), &timeout, nullptr);
    for (int i = 0; i < count; ++i) {
      const auto index = static_cast<std::size_t>(events[static_cast<std::size_t>(i)].data.u64);
      if ((events[static_cast<std::size_t>(i)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
        read_answers(index);
      }
      if ((events[static_cast<std::size_t>(i)].events & EPOLLOUT) != 0) {
        flush(index);
      }
    }
  }

  void finish(std::int64_t deadline_ns) override {
    while (in_flight() > 0 && now_ns() < deadline_ns) {
      wait(std::min(deadline_ns, now_ns() + 10 * kNsPerMs));
    }
  }

 private:
  struct Connection {
    int fd = -1;
    bool polling_out = false;
    std::string out;
    std::string in;
    std::deque<Post> in_flight;
  };

  std::size_t in_flight() const {
    std::size_t count = 0;
    for (const Connection& connection : connections_) {
      count += connection.in_flight.size();
    }
    return count;
  }

  // A blocking connect (the poster connects before the schedule starts, or after losing a
  // connection, which the report shows as rejected posts anyway), then non-blocking I/O.
  void open(std::size_t index) {
    Connection& connection = connections_[index];
    connection.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const auto* address = reinterpret_cast<const sockaddr*>(&options_.address);
    if (connection.fd < 0 || connect(connection.fd, address, sizeof options_.address) != 0) {
      throw std::runtime_error("poster connect: " + errno_text(errno));
    }
    const int one = 1;
    setsockopt(connection.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(connection.fd, F_SETFL, fcntl(connection.fd, F_GETFL) | O_NONBLOCK);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = index;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection.fd, &event);
    connection.polling_out = false;
  }

  void append_request(std::string& out, const Post& post) const {
    const Room& room = rooms_[post.room];
    const std::string body =
        "body=" + form_encode(make_body(post.due_ns, post.seq, options_.body_bytes));
    out.append("POST /v2/rooms/").append(std::to_string(room.id));
    out.append("/messages HTTP/1.1\r\nHost: ").append(options_.host_header);
    out.append("\r\nX-ChatWorkToken: ").append(room.poster_token);
    out.append("\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ");
    out.append(std::to_string(body.size())).append("\r\n\r\n").append(body);
  }

  void flush(std::size_t index) {
    Connection& connection = connections_[index];
    while (!connection.out.empty()) {
      const ssize_t sent =
          ::send(connection.fd, connection.out.data(), connection.out.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (errno != EAGAIN) {
          lose_connection(index, "poster send: " + errno_text(errno));
          return;
        }
        break;
      }
      connection.out.erase(0, static_cast<std::size_t>(sent));
    }
    const bool want_out = !connection.out.empty();
    if (want_out != connection.polling_out) {
      connection.polling_out = want_out;
      epoll_event event{};
      event.events = EPOLLIN | (want_out ? EPOLLOUT : 0u);
      event.data.u64 = index;
      epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event);
    }
  }

  void read_answers(std::size_t index) {
    Connection& connection = connections_[index];
    while (true) {
      const ssize_t received = recv(connection.fd, read_buffer_.data(), read_buffer_.size(), 0);
      if (received > 0) {
        connection.in.append(read_buffer_.data(), static_cast<std::size_t>(received));
        continue;
      }
      if (received < 0 && errno == EINTR) {
        continue;
      }
      if (received < 0 && errno == EAGAIN) {
        break;
      }
      take_answers(connection);
      lose_connection(index, "poster connection closed by the server");
      return;
    }
    take_answers(connection);
  }

  // Matches complete responses to the oldest requests in flight (HTTP/1.1 answers in order).
  void take_answers(Connection& connection) {
    const std::int64_t now = now_ns();
    std::size_t at = 0;
    while (!connection.in_flight.empty()) {
      const std::size_t head_end = connection.in.find("\r\n\r\n", at);
      if (head_end == std::string::npos) {
        break;
      }
      const std::string_view head(connection.in.data() + at, head_end - at);
      const std::size_t length = content_length(head);
      const std::size_t body_length = length == std::string_view::npos ? 0 : length;
      if (connection.in.size() < head_end + 4 + body_length) {
        break;
      }
      const Post post = connection.in_flight.front();
      connection.in_flight.pop_front();
      if (head.starts_with("HTTP/1.1 200")) {
        ledger_.accepted(post, now - post.due_ns);
      } else {
        ledger_.rejected(post, std::string(head.substr(0, head.find("\r\n"))) + " " +
                                   connection.in.substr(head_end + 4, body_length));
      }
      at = head_end + 4 + body_length;
    }
    connection.in.erase(0, at);
  }

  void lose_connection(std::size_t index, const std::string& why) {
    Connection& connection = connections_[index];
    for (const Post& post : connection.in_flight) {
      ledger_.rejected(post, why);
    }
    connection.in_flight.clear();
    connection.in.clear();
    connection.out.clear();
    close(connection.fd);
    open(index);
  }

  HttpPublisherOptions options_;
  const std::vector<Room>& rooms_;
  PostLedger& ledger_;
  int epoll_fd_ = -1;
  std::vector<Connection> connections_;
  std::size_t next_connection_ = 0;
  std::vector<char> read_buffer_;
};

}  // namespace

std::unique_ptr<Publisher> make_http_publisher(const HttpPublisherOptions& options,
                                               const std::vector<Room>& rooms, PostLedger& ledger) {
  return std::make_unique<HttpPublisher>(options, rooms, ledger);
}

}  // namespace fanout
