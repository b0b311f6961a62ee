#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <netinet/in.h>

#include "fanout/histogram.h"
#include "fanout/seq_set.h"
#include "fanout/session.h"

namespace fanout {

enum class Protocol { kKaiwa, kNats };

struct Endpoint {
  Protocol protocol = Protocol::kKaiwa;
  sockaddr_in address{};
  std::string host_header;  // "127.0.0.1:8080"
};

// A room as the poster and its subscribers share it.
struct Room {
  std::int64_t id = 0;
  std::uint64_t seq_limit = 0;  // sequences the schedule posts to it; others are not ours
  std::string poster_token;     // Kaiwa only
};

struct SubscriberSpec {
  std::size_t room = 0;  // index into the room table
  std::string token;     // Kaiwa only
};

struct LoopOptions {
  Endpoint endpoint;
  std::size_t connect_window = 1000;  // connections between TCP connect and `ready`, at most
  int source_ips = 0;                 // spread sources over 127.0.0.2..; 0 lets the kernel choose
  std::uint64_t seed = 1;
};

// A count written by one thread (the loop) and read by another (progress and reports): plain
// loads and stores, no locked instruction on the delivery path.
class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.store(value_.load(kRelaxed) + n, kRelaxed); }

  void subtract(std::uint64_t n = 1) { value_.store(value_.load(kRelaxed) - n, kRelaxed); }

  std::uint64_t get() const { return value_.load(kRelaxed); }

 private:
  static constexpr auto kRelaxed = std::memory_order_relaxed;
  std::atomic<std::uint64_t> value_{0};
};

struct LoopStats {
  Counter live;           // subscriptions live now
  Counter failed;         // subscribers given up on (refused upgrade, 4003)
  Counter tcp_connects;   // connections started, reconnections included
  Counter deliveries;     // message_created events received, ours or not
  Counter fresh;          // first receipt of one of our messages by this subscriber
  Counter duplicates;     // a sequence received again by the same subscriber
  Counter foreign;        // message_created that is not one of ours (room notices, other rooms)
  Counter resyncs;        // resync events: the server could not resume from our position
  Counter remote_closes;  // close frames from the server
  Counter drops;          // connections lost without a close frame, or closed for an error
  Counter storm_ready;    // subscribers ready again since the storm
  Counter storm_caught_up;
  std::atomic<std::int64_t> storm_all_ready_ns{0};  // when the last of this loop's got ready
  std::atomic<std::int64_t> storm_all_caught_up_ns{0};
};

// One epoll thread serving a share of the subscribers: connects them (at most connect_window
// in flight), feeds their bytes to their Session, counts deliveries and latency, reconnects
// with since=<last pos> when the server closes with a resumable code or the connection drops.
class SubscriberLoop : private SessionEvents {
 public:
  SubscriberLoop(LoopOptions options, const std::vector<Room>& rooms,
                 std::vector<SubscriberSpec> subscribers);
  ~SubscriberLoop() override;
  SubscriberLoop(const SubscriberLoop&) = delete;
  SubscriberLoop& operator=(const SubscriberLoop&) = delete;

  // The thread body: returns after stop().
  void run();

  // Thread-safe requests to a running loop.
  void stop();
  // Gives, for a room, how many of its first sequences the server has accepted so far.
  using AcceptedPrefix = std::function<std::uint64_t(std::size_t room)>;

  // Drops every connection at once (RST, as a crashed network would) and reconnects each with
  // since=<its last pos>. A subscriber has caught up once it is ready again and holds every
  // message its room had accepted when that ready arrived: the replay and the live stream
  // together must leave no gap.
  void storm(AcceptedPrefix accepted_prefix);

  const LoopStats& stats() const { return stats_; }

  std::size_t size() const { return subscribers_.size(); }

  std::string first_error() const;

  // After run() has returned:
  const Histogram& latency() const { return latency_; }

  // Deliveries that never came: for every subscriber, the acknowledged sequences of its room
  // it does not hold.
  std::uint64_t lost(const std::vector<const SeqSet*>& acked_by_room) const;

 private:
  enum class State { kIdle, kConnecting, kOpening, kLive, kFailed };

  struct Subscriber {
    SubscriberSpec spec;
    State state = State::kIdle;
    int fd = -1;
    bool polling_out = false;
    std::unique_ptr<Session> session;
    std::string out;
    std::int64_t last_pos = -1;
    int remote_close_code = 0;  // set while a close frame is being answered
    SeqSet seqs;
    bool storm_ready = false;
    bool caught_up = false;
    std::uint64_t catch_up_target = 0;
  };

  struct Delayed {
    std::int64_t due_ns;
    std::size_t index;
  };

  // Connection lifecycle.
  void start_due_connects();
  void start_connect(std::size_t index);
  void finish_connect(std::size_t index);
  enum class Reconnect { kNow, kLater, kNever };
  void drop(std::size_t index, Reconnect reconnect, bool abortive = false);
  int next_timeout_ms() const;

  // I/O.
  void on_io(std::size_t index, std::uint32_t events);
  void read_from(std::size_t index);
  void flush(std::size_t index);
  void watch(std::size_t index, bool want_out);

  // Commands from other threads.
  void on_command();
  void begin_storm();

  // SessionEvents, for the subscriber whose bytes are being fed (current_).
  void on_ready(std::int64_t pos) override;
  void on_event(const StreamEvent& event) override;
  void on_remote_close(int code, std::string_view reason) override;

  void record_delivery(Subscriber& subscriber, const StreamEvent& event);
  void check_caught_up(Subscriber& subscriber);
  void note_error(const std::string& error);
  std::unique_ptr<Session> new_session(std::size_t index) const;

  LoopOptions options_;
  const std::vector<Room>& rooms_;
  std::vector<Subscriber> subscribers_;
  int epoll_fd_ = -1;
  int command_fd_ = -1;
  std::vector<std::size_t> connect_queue_;  // used as a stack: order does not matter
  std::vector<Delayed> delayed_;
  std::size_t in_flight_ = 0;
  std::size_t current_ = 0;
  std::int64_t received_at_ns_ = 0;
  std::vector<char> read_buffer_;
  Histogram latency_;
  LoopStats stats_;

  bool storm_active_ = false;
  AcceptedPrefix accepted_prefix_;

  std::atomic<bool> stop_requested_{false};
  mutable std::mutex mutex_;  // guards the fields below, shared with other threads
  bool storm_requested_ = false;
  AcceptedPrefix requested_prefix_;
  std::string first_error_;
};

}  // namespace fanout
