#include "fanout/setup.h"

#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <arpa/inet.h>

namespace fanout {
namespace {

Layout& add_subscriber(Layout& layout, std::map<std::int64_t, std::size_t>& slots,
                       std::int64_t room_id, std::string token) {
  auto [slot, inserted] = slots.try_emplace(room_id, layout.rooms.size());
  if (inserted) {
    layout.rooms.push_back({.id = room_id, .seq_limit = 0, .poster_token = token});
    layout.subscribers_per_room.push_back(0);
  }
  ++layout.subscribers_per_room[slot->second];
  layout.subscribers.push_back({.room = slot->second, .token = std::move(token)});
  return layout;
}

}  // namespace

Layout read_members_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw std::runtime_error("cannot read " + path);
  }
  Layout layout;
  std::map<std::int64_t, std::size_t> slots;
  std::string line;
  int number = 0;
  while (std::getline(file, line)) {
    ++number;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::istringstream fields(line);
    std::int64_t room_id = 0;
    std::string token;
    if (!(fields >> room_id >> token)) {
      throw std::runtime_error(path + ":" + std::to_string(number) +
                               ": expected \"<room_id> <token>\"");
    }
    add_subscriber(layout, slots, room_id, std::move(token));
  }
  if (layout.subscribers.empty()) {
    throw std::runtime_error(path + " lists no subscribers");
  }
  return layout;
}

Layout synthetic_layout(std::size_t rooms, std::size_t members) {
  Layout layout;
  std::map<std::int64_t, std::size_t> slots;
  for (std::size_t room = 1; room <= rooms; ++room) {
    for (std::size_t member = 0; member < members; ++member) {
      add_subscriber(layout, slots, static_cast<std::int64_t>(room), "");
    }
  }
  return layout;
}

Endpoint parse_endpoint(Protocol protocol, const std::string& url) {
  std::string_view rest = url;
  for (const std::string_view scheme : {"http://", "nats://"}) {
    if (rest.starts_with(scheme)) {
      rest.remove_prefix(scheme.size());
    }
  }
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    rest = rest.substr(0, slash);
  }
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    throw std::runtime_error("expected HOST:PORT in " + url);
  }
  Endpoint endpoint;
  endpoint.protocol = protocol;
  endpoint.host_header = std::string(rest);
  endpoint.address.sin_family = AF_INET;
  const std::string host(rest.substr(0, colon));
  std::uint16_t port = 0;
  const std::string_view port_text = rest.substr(colon + 1);
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || inet_pton(AF_INET, host.c_str(), &endpoint.address.sin_addr) != 1) {
    throw std::runtime_error("expected a numeric IPv4 HOST:PORT in " + url);
  }
  endpoint.address.sin_port = htons(port);
  return endpoint;
}

bool is_loopback(const Endpoint& endpoint) {
  return (ntohl(endpoint.address.sin_addr.s_addr) >> 24) == 127;
}

}  // namespace fanout
