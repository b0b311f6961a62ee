// The fan-out hub (design.md §5): tails the event log and sends every event, serialized once, to
// the open streams allowed to see it; catches each new stream up from its resume position first.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/stream_service.h"
#include "core/event.h"
#include "edge/websocket.h"

namespace kaiwa::api::kaiwa {

struct EventHubOptions {
  // Events read from the log per step, and about how many bytes of them: what one step queues
  // on a connection must stay well under its send queue bound, so a burst of large messages
  // does not close readers that keep up.
  std::size_t tail_batch = 2000;
  std::size_t tail_bytes = std::size_t{2} * 1024 * 1024;
  // Catch-up events read per stream per step, so one far-behind stream cannot stall the others.
  std::size_t catch_up_page = 1000;
  // ... and at most about this many bytes of them (well under a connection's send queue bound).
  std::size_t catch_up_bytes = std::size_t{1024} * 1024;
  // Recent events kept in memory (at most this many, and about this many bytes), so a stream
  // that was away briefly — a whole reconnect storm after a deploy — catches up without
  // reading the log.
  std::size_t recent_events = 100000;
  std::size_t recent_bytes = std::size_t{64} * 1024 * 1024;
  // How often the log is checked without a wake-up: picks up writes of other processes (the
  // admin CLI revoking a token) and of other nodes.
  std::chrono::milliseconds poll_interval{200};
  // Events older than this are pruned; a resume from before them is told to resync.
  std::chrono::milliseconds retention{std::chrono::hours(24 * 30)};
  std::chrono::milliseconds prune_interval{std::chrono::hours(1)};
};

// A stream as the hub knows it. Created by the stream endpoint, then owned by the hub.
struct StreamRequest {
  app::StreamCredentials credentials;
  // Resume position: the last pos the client saw; nullopt starts at the present.
  std::optional<std::int64_t> since;
  std::shared_ptr<edge::WebSocketChannel> channel;
};

// Thread-safe: attach/detach/notify from any thread; everything else runs on the hub's thread.
//
// Ordering and exactly-once come from one thread doing all of it: events are fanned out in pos
// order, and a stream switches from catch-up (store reads) to live only on this thread, at the
// position the hub has fanned out through, so nothing falls between the two or arrives twice.
class EventHub {
 public:
  using StreamId = std::uint64_t;

  EventHub(app::StreamService& stream_service, EventHubOptions options);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Reads the log head and starts the hub's thread.
  core::Status start();
  void stop();

  // Wakes the hub: the log may have grown (the store's commit listener).
  void notify();
  StreamId attach(StreamRequest request);
  void detach(StreamId id);

  // Streams attached now (for tests and metrics).
  std::size_t stream_count() const;

  // Totals since start (metrics): events read from the log and fanned out, and events queued
  // to streams (live and catch-up).
  std::uint64_t events_fanned_out() const {
    return events_fanned_out_.load(std::memory_order_relaxed);
  }

  std::uint64_t deliveries() const { return deliveries_.load(std::memory_order_relaxed); }

 private:
  struct Stream;
  using Text = edge::SharedText;

  struct RecentEvent {
    std::int64_t pos = 0;
    core::RoomId room;
    core::AccountId recipient;
    bool internal = false;
    Text text;
  };

  void run();
  void take_requests();
  bool tail_log();
  bool skip_to_head();
  void fan_out(const core::Event& event, const Text& text);
  bool catch_up_streams();
  bool catch_up(Stream& stream);
  bool catch_up_from_log(Stream& stream);
  bool catch_up_from_recent(Stream& stream);
  void remember(const core::Event& event, const Text& text);
  void forget_oldest();
  void close_on_error(Stream& stream, std::string_view what, const core::Error& error);
  void go_live(Stream& stream, const std::vector<core::RoomId>& rooms);
  void begin(Stream& stream, std::optional<std::int64_t> since,
             const ports::EventLogBounds& bounds);
  void join_room(Stream& stream, core::RoomId room);
  void leave_room(Stream& stream, core::RoomId room);
  void close_for_token(core::AccountId account, const std::string& payload_json);
  void remove(StreamId id);
  void queue(Stream& stream, Text text);
  void flush();
  void prune_if_due();

  app::StreamService& stream_service_;
  const EventHubOptions options_;

  // Shared with other threads, guarded by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  StreamId next_id_ = 1;
  std::vector<std::pair<StreamId, StreamRequest>> attaching_;
  std::vector<StreamId> detaching_;
  std::size_t stream_count_ = 0;
  // Written by the hub thread only; atomics so a scrape may read them.
  std::atomic<std::uint64_t> events_fanned_out_{0};
  std::atomic<std::uint64_t> deliveries_{0};

  // The hub thread's own state.
  std::int64_t head_ = 0;  // every event with pos <= head_ has been fanned out
  std::unordered_map<StreamId, std::unique_ptr<Stream>> streams_;
  std::vector<StreamId> catching_up_;
  std::unordered_map<core::RoomId, std::vector<Stream*>> room_listeners_;
  std::unordered_map<core::AccountId, std::vector<Stream*>> live_by_account_;
  std::vector<Stream*> pending_flush_;
  // Every event with recent_floor_ < pos <= head_, oldest first, and their positions by room
  // (events its members see) and by recipient.
  std::deque<RecentEvent> recent_;
  std::size_t recent_bytes_ = 0;
  std::int64_t recent_floor_ = 0;
  std::unordered_map<core::RoomId, std::deque<std::int64_t>> recent_by_room_;
  std::unordered_map<core::AccountId, std::deque<std::int64_t>> recent_by_recipient_;
  std::chrono::steady_clock::time_point next_prune_{};
  // When a stream was last attached; long ago at start, so an idle hub skips from the start.
  std::chrono::steady_clock::time_point last_stream_seen_{};
  static constexpr std::chrono::seconds kIdleBeforeSkipping{10};

  std::thread thread_;
};

}  // namespace kaiwa::api::kaiwa
