#pragma once

#include <string>
#include <vector>

#include "fanout/subscriber_loop.h"

namespace fanout {

// Who subscribes where: the room table and one entry per subscriber connection.
struct Layout {
  std::vector<Room> rooms;
  std::vector<SubscriberSpec> subscribers;
  std::vector<std::size_t> subscribers_per_room;
};

// Reads "<room_id> <token>" lines; the first token of each room is also its poster's. Blank
// lines and lines starting with '#' are skipped.
Layout read_members_file(const std::string& path);

// `rooms` rooms (ids 1..rooms) of `members` token-less subscribers each: the NATS runs need no
// accounts.
Layout synthetic_layout(std::size_t rooms, std::size_t members);

// "http://127.0.0.1:8080" (Kaiwa) or "127.0.0.1:4222" / "nats://127.0.0.1:4222"; numeric IPv4
// only, which is all a loopback benchmark needs.
Endpoint parse_endpoint(Protocol protocol, const std::string& url);

bool is_loopback(const Endpoint& endpoint);

}  // namespace fanout
