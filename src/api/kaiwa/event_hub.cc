#include "api/kaiwa/event_hub.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/json_text.h"

namespace kaiwa::api::kaiwa {
namespace {

// {"pos":…,"type":"…","created_at_ms":…,"data":{…}}: the event as the stream carries it
// (docs/api/kaiwa-openapi.yaml, StreamEvent).
edge::SharedText serialize(const core::Event& event) {
  auto text = std::make_shared<std::string>();
  text->reserve(event.payload_json.size() + event.type.size() + 64);
  *text += "{\"pos\":";
  *text += std::to_string(event.pos);
  *text += ",\"type\":";
  core::append_json_string(*text, event.type);
  *text += ",\"created_at_ms\":";
  *text += std::to_string(event.created_at_ms);
  *text += ",\"data\":";
  *text += event.payload_json;
  *text += '}';
  return text;
}

// {"type":"ready"|"resync","pos":…}: a notice about the stream itself, not an event.
edge::SharedText notice(std::string_view type, std::int64_t pos) {
  return std::make_shared<const std::string>(R"({"type":")" + std::string(type) + R"(","pos":)" +
                                             std::to_string(pos) + "}");
}

template <typename T>
void erase_value(std::vector<T>& values, const T& value) {
  values.erase(std::remove(values.begin(), values.end(), value), values.end());
}

void log_error(std::string_view what, const core::Error& error) {
  spdlog::error("{}", core::json_log_line(what, {{"error", error.message}}));
}

}  // namespace

struct EventHub::Stream {
  StreamId id = 0;
  app::StreamCredentials credentials;
  std::shared_ptr<edge::WebSocketChannel> channel;
  // Every event up to cursor that this stream may see has been queued for it.
  std::int64_t cursor = 0;
  // The channel refused more (closed, or closing as too slow): nothing more is queued.
  bool closed = false;
  std::vector<core::RoomId> rooms;  // rooms it hears live
  std::vector<Text> outbox;         // queued this step, handed to the channel at flush
};

EventHub::EventHub(app::StreamService& stream_service, EventHubOptions options)
    : stream_service_(stream_service), options_(options) {}

EventHub::~EventHub() { stop(); }

core::Status EventHub::start() {
  KAIWA_ASSIGN_OR_RETURN(auto bounds, stream_service_.bounds());
  head_ = bounds.head;
  recent_floor_ = head_;
  next_prune_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
  return core::ok();
}

void EventHub::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void EventHub::notify() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

EventHub::StreamId EventHub::attach(StreamRequest request) {
  StreamId id = 0;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    attaching_.emplace_back(id, std::move(request));
    stream_count_ += 1;
    woken_ = true;
  }
  wake_.notify_one();
  return id;
}

void EventHub::detach(StreamId id) {
  {
    std::lock_guard lock(mutex_);
    detaching_.push_back(id);
    stream_count_ -= 1;
    woken_ = true;
  }
  wake_.notify_one();
}

std::size_t EventHub::stream_count() const {
  std::lock_guard lock(mutex_);
  return stream_count_;
}

void EventHub::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      // Streams still catching up (held back by a full send queue) are retried soon.
      const auto wait =
          catching_up_.empty() ? options_.poll_interval : std::chrono::milliseconds(5);
      wake_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
      if (stopping_) {
        return;
      }
      woken_ = false;
    }
    bool more = true;
    while (more) {
      take_requests();
      more = tail_log();
      more = catch_up_streams() || more;
      flush();
    }
    prune_if_due();
  }
}

void EventHub::take_requests() {
  std::vector<std::pair<StreamId, StreamRequest>> attaching;
  std::vector<StreamId> detaching;
  {
    std::lock_guard lock(mutex_);
    attaching.swap(attaching_);
    detaching.swap(detaching_);
  }
  // One read of the log's bounds serves every stream attaching in this step (a reconnect storm
  // brings thousands at once).
  std::optional<ports::EventLogBounds> bounds;
  if (!attaching.empty()) {
    auto read = stream_service_.bounds();
    if (read) {
      bounds = *read;
    } else {
      log_error("stream start failed", read.error());
    }
  }
  for (auto& [id, request] : attaching) {
    auto stream = std::make_unique<Stream>();
    stream->id = id;
    stream->credentials = std::move(request.credentials);
    stream->channel = std::move(request.channel);
    Stream& added = *stream;
    streams_.emplace(id, std::move(stream));
    if (!bounds) {
      added.channel->close(edge::close_code::kServiceRestart, "try again");
      added.closed = true;
      continue;
    }
    begin(added, request.since, *bounds);
  }
  for (StreamId id : detaching) {
    remove(id);
  }
}

// Decides where a new stream starts: at its resume position, at the present (the store's head,
// which may be ahead of what the hub has fanned out), or at the present with a resync notice
// when the resume position is not in the retained log (pruned, or from another database).
void EventHub::begin(Stream& stream, std::optional<std::int64_t> since,
                     const ports::EventLogBounds& bounds) {
  stream.cursor = bounds.head;
  if (since) {
    if (*since < bounds.pruned_through || *since > bounds.head) {
      queue(stream, notice("resync", bounds.head));
    } else {
      stream.cursor = *since;
    }
  }
  catching_up_.push_back(stream.id);
}

bool EventHub::tail_log() {
  const auto now = std::chrono::steady_clock::now();
  if (!streams_.empty()) {
    last_stream_seen_ = now;
  } else if (now - last_stream_seen_ > kIdleBeforeSkipping) {
    return skip_to_head();
  }
  auto events = stream_service_.tail(head_, options_.tail_batch);
  if (!events) {
    log_error("reading the event log failed", events.error());
    return false;
  }
  std::size_t bytes = 0;
  for (const core::Event& event : *events) {
    if (bytes >= options_.tail_bytes) {
      return true;  // the rest is read again next step, after this step's flush
    }
    Text text = serialize(event);
    bytes += text->size();
    fan_out(event, text);
    remember(event, text);
    head_ = event.pos;
    events_fanned_out_.fetch_add(1, std::memory_order_relaxed);
  }
  return events->size() == options_.tail_batch;
}

// With no stream to feed for a while, reading and keeping events would only cost the writers
// CPU: the hub jumps to the log's head, and the next stream catches up from the log. (Not at
// once: when every client drops together, a reconnect storm follows that wants the memory.)
bool EventHub::skip_to_head() {
  auto bounds = stream_service_.bounds();
  if (!bounds) {
    log_error("reading the event log failed", bounds.error());
    return false;
  }
  if (bounds->head != head_) {
    head_ = bounds->head;
    recent_floor_ = head_;
    recent_.clear();
    recent_bytes_ = 0;
    recent_by_room_.clear();
    recent_by_recipient_.clear();
  }
  return false;
}

void EventHub::fan_out(const core::Event& event, const Text& text) {
  if (core::is_internal_event(event.type)) {
    if (event.type == "token_revoked") {
      close_for_token(event.recipient, event.payload_json);
    }
    return;
  }
  const core::MembershipEffect effect = core::membership_effect(event.type);
  auto deliver = [&](Stream* stream) {
    if (!stream->closed && stream->cursor < event.pos) {
      queue(*stream, text);
      stream->cursor = event.pos;
    }
  };
  auto recipients = live_by_account_.find(event.recipient);
  const bool has_recipient = event.recipient.value != 0 && recipients != live_by_account_.end();
  if (effect == core::MembershipEffect::kJoins && has_recipient) {
    for (Stream* stream : recipients->second) {
      join_room(*stream, event.room);
    }
  }
  if (event.to_room_members) {
    if (auto listeners = room_listeners_.find(event.room); listeners != room_listeners_.end()) {
      for (Stream* stream : listeners->second) {
        deliver(stream);
      }
    }
  }
  if (has_recipient) {
    for (Stream* stream : recipients->second) {
      deliver(stream);
    }
    if (effect == core::MembershipEffect::kLeaves) {
      for (Stream* stream : recipients->second) {
        leave_room(*stream, event.room);
      }
    }
  }
}

bool EventHub::catch_up_streams() {
  bool progressed = false;
  std::vector<StreamId> waiting;
  std::vector<StreamId> catching_up;
  catching_up.swap(catching_up_);
  for (StreamId id : catching_up) {
    auto found = streams_.find(id);
    if (found == streams_.end() || found->second->closed) {
      continue;
    }
    Stream& stream = *found->second;
    // Back-pressure: a stream's next page waits until its queue has room for it.
    if (stream.channel->queued_bytes() > 0) {
      waiting.push_back(id);
      continue;
    }
    progressed = true;
    if (!catch_up(stream)) {
      waiting.push_back(id);
    }
  }
  catching_up_.insert(catching_up_.end(), waiting.begin(), waiting.end());
  return progressed && !catching_up_.empty();
}

// Queues a part of the stream's missed events; returns true once it has gone live. Recent
// events come from memory; older ones from the log, a page at a time.
bool EventHub::catch_up(Stream& stream) {
  return stream.cursor >= recent_floor_ ? catch_up_from_recent(stream) : catch_up_from_log(stream);
}

bool EventHub::catch_up_from_log(Stream& stream) {
  auto page = stream_service_.catch_up(stream.credentials.account, stream.cursor, head_,
                                       options_.catch_up_page);
  if (!page) {
    close_on_error(stream, "stream catch-up failed", page.error());
    return true;
  }
  // Pages are bounded in bytes too (a page of 65,535-character messages is large): what does not
  // fit is read again next round, once this part has left.
  std::size_t bytes = 0;
  for (const core::Event& event : page->events) {
    if (bytes >= options_.catch_up_bytes) {
      return false;
    }
    if (!core::is_internal_event(event.type)) {
      Text text = serialize(event);
      bytes += text->size();
      queue(stream, std::move(text));
    }
    stream.cursor = event.pos;
  }
  if (!page->complete) {
    return false;
  }
  go_live(stream, page->rooms);
  return true;
}

// The same selection as the log's (StoreTx::read_account_events), from memory: the events of
// (cursor, head_] of the rooms whose membership spans cover them, and those addressed to the
// account. Costs one small read and work in proportion to what the stream receives.
bool EventHub::catch_up_from_recent(Stream& stream) {
  const core::AccountId account = stream.credentials.account;
  auto spans = stream_service_.membership_spans(account, stream.cursor);
  if (!spans) {
    close_on_error(stream, "stream catch-up failed", spans.error());
    return true;
  }
  std::vector<std::int64_t> positions;
  auto collect = [&](const std::deque<std::int64_t>& list, const auto& wanted) {
    for (auto it = std::upper_bound(list.begin(), list.end(), stream.cursor); it != list.end();
         ++it) {
      if (wanted(*it)) {
        positions.push_back(*it);
      }
    }
  };
  for (const core::MembershipSpan& span : *spans) {
    if (auto room = recent_by_room_.find(span.room); room != recent_by_room_.end()) {
      collect(room->second, [&span](std::int64_t pos) { return span.covers(pos); });
    }
  }
  if (auto own = recent_by_recipient_.find(account); own != recent_by_recipient_.end()) {
    collect(own->second, [](std::int64_t) { return true; });
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  std::size_t bytes = 0;
  for (std::int64_t pos : positions) {
    if (bytes >= options_.catch_up_bytes) {
      return false;  // the rest next round, once this part has left
    }
    auto event = std::lower_bound(recent_.begin(), recent_.end(), pos,
                                  [](const RecentEvent& e, std::int64_t p) { return e.pos < p; });
    if (!event->internal) {
      bytes += event->text->size();
      queue(stream, event->text);
    }
    stream.cursor = pos;
  }
  std::vector<core::RoomId> rooms;
  for (const core::MembershipSpan& span : *spans) {
    if (span.covers(head_)) {
      rooms.push_back(span.room);
    }
  }
  go_live(stream, rooms);
  return true;
}

void EventHub::remember(const core::Event& event, const Text& text) {
  recent_.push_back(RecentEvent{event.pos, event.room, event.recipient,
                                core::is_internal_event(event.type), text});
  recent_bytes_ += text->size() + sizeof(RecentEvent);
  if (event.to_room_members) {
    recent_by_room_[event.room].push_back(event.pos);
  }
  if (event.recipient.value != 0) {
    recent_by_recipient_[event.recipient].push_back(event.pos);
  }
  while (!recent_.empty() &&
         (recent_.size() > options_.recent_events || recent_bytes_ > options_.recent_bytes)) {
    forget_oldest();
  }
}

// Oldest first everywhere, so the oldest event is at the front of its room's and its
// recipient's lists too.
void EventHub::forget_oldest() {
  const RecentEvent& oldest = recent_.front();
  auto pop_front_of = [&oldest](auto& index, auto key) {
    auto found = index.find(key);
    if (found != index.end() && !found->second.empty() && found->second.front() == oldest.pos) {
      found->second.pop_front();
      if (found->second.empty()) {
        index.erase(found);
      }
    }
  };
  pop_front_of(recent_by_room_, oldest.room);
  pop_front_of(recent_by_recipient_, oldest.recipient);
  recent_floor_ = oldest.pos;
  recent_bytes_ -= oldest.text->size() + sizeof(RecentEvent);
  recent_.pop_front();
}

void EventHub::close_on_error(Stream& stream, std::string_view what, const core::Error& error) {
  log_error(what, error);
  stream.channel->close(edge::close_code::kServiceRestart, "try again");
  stream.closed = true;
}

void EventHub::go_live(Stream& stream, const std::vector<core::RoomId>& rooms) {
  stream.cursor = std::max(stream.cursor, head_);
  for (core::RoomId room : rooms) {
    join_room(stream, room);
  }
  live_by_account_[stream.credentials.account].push_back(&stream);
  queue(stream, notice("ready", stream.cursor));
}

void EventHub::join_room(Stream& stream, core::RoomId room) {
  if (std::find(stream.rooms.begin(), stream.rooms.end(), room) != stream.rooms.end()) {
    return;
  }
  stream.rooms.push_back(room);
  room_listeners_[room].push_back(&stream);
}

void EventHub::leave_room(Stream& stream, core::RoomId room) {
  erase_value(stream.rooms, room);
  if (auto listeners = room_listeners_.find(room); listeners != room_listeners_.end()) {
    erase_value(listeners->second, &stream);
    if (listeners->second.empty()) {
      room_listeners_.erase(listeners);
    }
  }
}

void EventHub::close_for_token(core::AccountId account, const std::string& payload_json) {
  for (auto& [id, stream] : streams_) {
    if (stream->credentials.account == account && !stream->closed &&
        payload_json.find("\"" + stream->credentials.token_digest + "\"") != std::string::npos) {
      stream->channel->close(edge::close_code::kUnauthorized, "the token was revoked");
      stream->closed = true;
    }
  }
}

void EventHub::remove(StreamId id) {
  auto found = streams_.find(id);
  if (found == streams_.end()) {
    return;
  }
  Stream& stream = *found->second;
  for (core::RoomId room : std::vector<core::RoomId>(stream.rooms)) {
    leave_room(stream, room);
  }
  if (auto live = live_by_account_.find(stream.credentials.account);
      live != live_by_account_.end()) {
    erase_value(live->second, &stream);
    if (live->second.empty()) {
      live_by_account_.erase(live);
    }
  }
  erase_value(pending_flush_, &stream);
  erase_value(catching_up_, id);
  streams_.erase(found);
}

void EventHub::queue(Stream& stream, Text text) {
  if (stream.outbox.empty()) {
    pending_flush_.push_back(&stream);
  }
  stream.outbox.push_back(std::move(text));
}

void EventHub::flush() {
  std::uint64_t delivered = 0;
  for (Stream* stream : pending_flush_) {
    if (!stream->closed) {
      delivered += stream->outbox.size();
      if (!stream->channel->send(stream->outbox)) {
        stream->closed = true;  // the channel closes itself; its detach follows
      }
    }
    stream->outbox.clear();
  }
  pending_flush_.clear();
  deliveries_.fetch_add(delivered, std::memory_order_relaxed);
}

void EventHub::prune_if_due() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_prune_) {
    return;
  }
  next_prune_ = now + options_.prune_interval;
  constexpr std::size_t kPruneBatch = 10000;
  auto pruned = stream_service_.prune(options_.retention.count(), kPruneBatch);
  if (!pruned) {
    log_error("pruning the event log failed", pruned.error());
  } else if (*pruned == static_cast<std::int64_t>(kPruneBatch)) {
    next_prune_ = now;  // more to do: continue on the next round, between fan-outs
  }
}

}  // namespace kaiwa::api::kaiwa
