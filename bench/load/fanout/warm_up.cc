#include "fanout/warm_up.h"

#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fanout {
namespace {

// Reads one response (head and a Content-Length body) from a blocking socket; returns its head.
std::string read_response(int fd, std::string& pending) {
  for (;;) {
    const std::size_t head_end = pending.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::string head = pending.substr(0, head_end);
      std::size_t body = 0;
      const std::size_t at = head.find("Content-Length: ");
      if (at != std::string::npos) {
        body = std::stoul(head.substr(at + 16));
      }
      if (pending.size() >= head_end + 4 + body) {
        pending.erase(0, head_end + 4 + body);
        return head;
      }
    }
    char buffer[16384];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) {
      throw std::runtime_error("warm-up: the server closed the connection");
    }
    pending.append(buffer, static_cast<std::size_t>(got));
  }
}

void warm_slice(const Endpoint& endpoint, const Layout& layout, std::size_t first,
                std::size_t step) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address),
                          sizeof endpoint.address) != 0) {
    throw std::runtime_error(std::string("warm-up: connect: ") + std::strerror(errno));
  }
  std::string pending;
  for (std::size_t i = first; i < layout.subscribers.size(); i += step) {
    // What a client (the web client, an SDK) asks first: who am I, and my rooms.
    for (const char* path : {"/v2/me", "/v2/rooms"}) {
      const std::string request =
          std::string("GET ") + path + " HTTP/1.1\r\nHost: " + endpoint.host_header +
          "\r\nX-ChatWorkToken: " + layout.subscribers[i].token + "\r\n\r\n";
      if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
        throw std::runtime_error("warm-up: write failed");
      }
      const std::string head = read_response(fd, pending);
      if (head.rfind("HTTP/1.1 200", 0) != 0) {
        throw std::runtime_error(std::string("warm-up: ") + path + ": " +
                                 head.substr(0, head.find('\r')));
      }
    }
  }
  ::close(fd);
}

}  // namespace

void warm_up_accounts(const Endpoint& endpoint, const Layout& layout, std::size_t connections) {
  std::vector<std::thread> threads;
  std::atomic<bool> failed{false};
  std::string failure;
  for (std::size_t c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      try {
        warm_slice(endpoint, layout, c, connections);
      } catch (const std::exception& e) {
        if (!failed.exchange(true)) {
          failure = e.what();
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  if (failed) {
    throw std::runtime_error(failure);
  }
}

}  // namespace fanout
