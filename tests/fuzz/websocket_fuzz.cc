// What a client may send on the event stream after the handshake: any bytes, read by the
// connection's FrameReader (edge/websocket_frames.h). Besides never crashing, reading must not
// depend on how TCP cut the bytes: the input is read once whole and once in pieces (sizes taken
// from the input itself, the tail of a partial frame kept as WebSocketConnection keeps it), and
// both reads must find the same events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "edge/websocket_frames.h"

namespace {

namespace frames = kaiwa::edge::websocket_frames;

constexpr std::size_t kMaxMessageBytes = 4096;

struct Seen {
  frames::ReadEvent::Kind kind;
  std::uint16_t code;
  std::string payload;
  bool operator==(const Seen&) const = default;
};

// Feeds `pieces` in order, as the connection does; stops at the first close or error.
std::vector<Seen> read_all(const std::vector<std::string_view>& pieces) {
  frames::FrameReader reader(kMaxMessageBytes);
  std::vector<Seen> seen;
  std::string partial;
  for (const std::string_view piece : pieces) {
    partial += piece;
    std::size_t used = 0;
    while (true) {
      frames::ReadEvent event = reader.next(std::string_view(partial).substr(used));
      if (event.consumed > partial.size() - used) {
        std::abort();  // consumed bytes it was not given
      }
      if (event.kind == frames::ReadEvent::Kind::kNeedMore && event.consumed == 0) {
        break;
      }
      used += event.consumed;
      if (event.kind == frames::ReadEvent::Kind::kNeedMore) {
        continue;  // a fragment of a message
      }
      if (event.kind == frames::ReadEvent::Kind::kMessage && !reader.idle()) {
        std::abort();  // a whole message leaves nothing buffered
      }
      seen.push_back(Seen{event.kind, event.code, event.payload});
      if (event.kind == frames::ReadEvent::Kind::kClose ||
          event.kind == frames::ReadEvent::Kind::kError) {
        return seen;
      }
    }
    partial.erase(0, used);
    // What waits for more bytes is at most one frame: a header and a control frame's payload,
    // or a data frame within the message limit.
    if (partial.size() > kMaxMessageBytes + 14) {
      std::abort();
    }
  }
  return seen;
}

}  // namespace

// libFuzzer calls this name.
extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<Seen> whole = read_all({input});

  std::vector<std::string_view> pieces;
  std::size_t at = 0;
  for (std::size_t i = 0; at < input.size(); ++i) {
    const std::size_t piece = 1 + static_cast<std::size_t>(data[i % size]) % 7;
    pieces.push_back(input.substr(at, piece));
    at += piece;
  }
  if (read_all(pieces) != whole) {
    std::abort();
  }
  return 0;
}
