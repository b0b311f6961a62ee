#include "fanout/stream_events.h"

#include <charconv>
#include <ctime>

namespace fanout {
namespace {

// The value text after `"key":` (spaces skipped), or an empty view when the key is absent.
std::string_view value_after(std::string_view object, std::string_view quoted_key_colon) {
  const std::size_t at = object.find(quoted_key_colon);
  if (at == std::string_view::npos) {
    return {};
  }
  std::string_view rest = object.substr(at + quoted_key_colon.size());
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
  }
  return rest;
}

template <typename Int>
bool parse_int(std::string_view text, Int& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end != text.data();
}

// Reads "<digits><terminator>" from the front of `text` into `value`, consuming both.
template <typename Int>
bool take_number(std::string_view& text, char terminator, Int& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data() || end == text.data() + text.size() ||
      *end != terminator) {
    return false;
  }
  text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
  return true;
}

StreamEvent::Type type_of(std::string_view value) {
  if (value.starts_with("\"message_created\"")) {
    return StreamEvent::Type::kMessageCreated;
  }
  if (value.starts_with("\"ready\"")) {
    return StreamEvent::Type::kReady;
  }
  if (value.starts_with("\"resync\"")) {
    return StreamEvent::Type::kResync;
  }
  return StreamEvent::Type::kOther;
}

constexpr std::string_view kFiller = "明日の会議の資料を共有します。確認をお願いします。";

}  // namespace

FrameObjects::FrameObjects(std::string_view frame) : frame_(frame) {
  while (at_ < frame_.size() && frame_[at_] != '[') {
    ++at_;
  }
  if (at_ == frame_.size()) {
    malformed_ = true;
  }
  ++at_;
}

bool FrameObjects::next(std::string_view& object) {
  if (malformed_) {
    return false;
  }
  while (at_ < frame_.size() && frame_[at_] != '{') {
    if (frame_[at_] == ']') {
      return false;
    }
    ++at_;
  }
  const std::size_t start = at_;
  int depth = 0;
  bool in_string = false;
  for (; at_ < frame_.size(); ++at_) {
    const char c = frame_[at_];
    if (in_string) {
      if (c == '\\') {
        ++at_;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      ++at_;
      object = frame_.substr(start, at_ - start);
      return true;
    }
  }
  malformed_ = start < frame_.size();
  return false;
}

StreamEvent parse_event(std::string_view object) {
  StreamEvent event;
  event.type = type_of(value_after(object, "\"type\":"));
  parse_int(value_after(object, "\"pos\":"), event.pos);
  if (event.type != StreamEvent::Type::kMessageCreated) {
    return event;
  }
  parse_int(value_after(object, "\"room_id\":"), event.room_id);
  std::string_view body = value_after(object, "\"body\":");
  if (body.starts_with('"')) {
    body.remove_prefix(1);
    event.has_marker = parse_marker(body, event.sent_ns, event.seq);
  }
  return event;
}

std::string make_body(std::int64_t scheduled_ns, std::uint64_t seq, std::size_t bytes) {
  std::string body = "t=" + std::to_string(scheduled_ns) + ";seq=" + std::to_string(seq) + ";";
  // Fill with whole UTF-8 characters only, so the server never sees a cut sequence.
  std::size_t at = 0;
  while (true) {
    const auto lead = static_cast<unsigned char>(kFiller[at]);
    const std::size_t width = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (body.size() + width > bytes) {
      break;
    }
    body.append(kFiller.substr(at, width));
    at = (at + width) % kFiller.size();
  }
  return body;
}

bool parse_marker(std::string_view body, std::int64_t& scheduled_ns, std::uint64_t& seq) {
  if (!body.starts_with("t=")) {
    return false;
  }
  body.remove_prefix(2);
  if (!take_number(body, ';', scheduled_ns) || !body.starts_with("seq=")) {
    return false;
  }
  body.remove_prefix(4);
  return take_number(body, ';', seq);
}

std::string make_event_frame(std::int64_t pos, std::int64_t room_id, std::int64_t account_id,
                             std::string_view body) {
  const std::int64_t now_ms = static_cast<std::int64_t>(std::time(nullptr)) * 1000;
  std::string frame;
  frame.reserve(body.size() + 200);
  frame.append(R"([{"pos":)").append(std::to_string(pos));
  frame.append(R"(,"type":"message_created","created_at_ms":)").append(std::to_string(now_ms));
  frame.append(R"(,"data":{"room_id":)").append(std::to_string(room_id));
  frame.append(R"(,"message_id":")").append(std::to_string(now_ms * 1000 + pos % 1000));
  frame.append(R"(","account_id":)").append(std::to_string(account_id));
  frame.append(R"(,"body":")").append(body);  // the body needs no escaping: see make_body
  frame.append(R"(","send_time":)").append(std::to_string(now_ms / 1000));
  frame.append(R"(,"update_time":0}}])");
  return frame;
}

}  // namespace fanout
