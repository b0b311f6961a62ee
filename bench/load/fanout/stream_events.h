#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The stream's wire content as this tool sees it: frames are JSON arrays of event objects; each
// posted message's body starts with a marker carrying its scheduled send time and sequence.
namespace fanout {

struct StreamEvent {
  enum class Type { kMessageCreated, kReady, kResync, kOther };
  Type type = Type::kOther;
  std::int64_t pos = -1;
  std::int64_t room_id = -1;
  bool has_marker = false;  // the body is one of ours (room notices and the like are not)
  std::int64_t sent_ns = 0;
  std::uint64_t seq = 0;
};

// Walks the top-level objects of a frame. It tracks strings and nesting but does not validate
// JSON: the server's output is trusted to be JSON, the scanner only has to be fast, since it
// runs once per delivery on the core the server also needs.
class FrameObjects {
 public:
  explicit FrameObjects(std::string_view frame);

  // The next object's text, braces included; false at the end or on malformed input.
  bool next(std::string_view& object);

  bool malformed() const { return malformed_; }

 private:
  std::string_view frame_;
  std::size_t at_ = 0;
  bool malformed_ = false;
};

// Reads the fields this tool needs from one event object of the server's compact JSON: the
// top-level "type" and "pos", and "room_id" and "body" (inside "data").
StreamEvent parse_event(std::string_view object);

// The message body the poster sends: "t=<scheduled ns>;seq=<n>;" then Japanese filler up to
// `bytes` bytes of UTF-8 (a Chatwork-shaped ~120-byte message by default).
std::string make_body(std::int64_t scheduled_ns, std::uint64_t seq, std::size_t bytes);

// Parses the marker at the start of a body; false if the body is not one of ours.
bool parse_marker(std::string_view body, std::int64_t& scheduled_ns, std::uint64_t& seq);

// A frame shaped like the Kaiwa stream's message_created frame, for the NATS runs: every
// subscriber receives and scans the same bytes in both systems.
std::string make_event_frame(std::int64_t pos, std::int64_t room_id, std::int64_t account_id,
                             std::string_view body);

}  // namespace fanout
