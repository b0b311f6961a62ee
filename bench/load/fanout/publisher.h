#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <netinet/in.h>

#include "fanout/histogram.h"
#include "fanout/seq_set.h"
#include "fanout/subscriber_loop.h"

namespace fanout {

// When each message is due. Message i goes to room i % rooms with sequence i / rooms, at
// start + i / rate: the rooms are posted to round-robin at an even total rate.
struct Schedule {
  std::int64_t start_ns = 0;
  double rate = 0;  // messages per second, all rooms together
  std::uint64_t total = 0;
  std::size_t rooms = 1;

  std::int64_t due_ns(std::uint64_t i) const {
    return start_ns + static_cast<std::int64_t>(static_cast<double>(i) * 1e9 / rate);
  }

  // How many sequences the whole schedule posts to `room`.
  std::uint64_t seqs_for_room(std::size_t room) const {
    return total / rooms + (room < total % rooms ? 1 : 0);
  }
};

struct Post {
  std::uint64_t index = 0;
  std::size_t room = 0;
  std::uint64_t seq = 0;
  std::int64_t due_ns = 0;  // the scheduled time, embedded in the body as the latency origin
};

// What the servers accepted, per room: the expectation the deliveries are checked against.
class PostLedger {
 public:
  explicit PostLedger(std::size_t rooms);

  // Poster thread. `answer_latency_ns` < 0: the protocol has no answer (NATS).
  void accepted(const Post& post, std::int64_t answer_latency_ns);
  void rejected(const Post& post, const std::string& why);

  // Any thread: every sequence below it was accepted.
  std::uint64_t accepted_prefix(std::size_t room) const;

  // After the poster has stopped.
  const SeqSet& accepted_set(std::size_t room) const { return accepted_[room]; }

  const Histogram& answer_latency() const { return answer_latency_; }

  std::uint64_t accepted_count() const { return accepted_count_.get(); }

  std::uint64_t rejected_count() const { return rejected_count_.get(); }

  std::string first_rejection() const;

 private:
  std::vector<SeqSet> accepted_;
  std::vector<std::atomic<std::uint64_t>> prefixes_;  // sized once: atomics do not move
  Histogram answer_latency_;
  Counter accepted_count_;
  Counter rejected_count_;
  mutable std::mutex mutex_;
  std::string first_rejection_;
};

class Publisher {
 public:
  virtual ~Publisher() = default;
  virtual void send(const Post& post) = 0;
  // Handles answers until `deadline_ns`; may return earlier.
  virtual void wait(std::int64_t deadline_ns) = 0;
  // After the last send: waits (until `deadline_ns` at most) for what is still unanswered.
  virtual void finish(std::int64_t deadline_ns) = 0;
};

// Sends each post at its due time whatever the answers (open loop: a slow server shows up as
// latency instead of lowering the offered load, avoiding coordinated omission), then lets the
// publisher finish.
void run_schedule(const Schedule& schedule, Publisher& publisher, std::int64_t finish_timeout_ns);

struct HttpPublisherOptions {
  sockaddr_in address{};
  std::string host_header;
  std::size_t connections = 64;
  std::size_t body_bytes = 120;
};

// POST /v2/rooms/{id}/messages over keep-alive connections, requests pipelined round-robin.
std::unique_ptr<Publisher> make_http_publisher(const HttpPublisherOptions& options,
                                               const std::vector<Room>& rooms, PostLedger& ledger);

// libnats publisher: each post is a frame shaped like the Kaiwa stream's, on subject
// room.<id>, sent at once (no client-side batching, like one HTTP request per post).
std::unique_ptr<Publisher> make_nats_publisher(const std::string& url, std::size_t body_bytes,
                                               const std::vector<Room>& rooms, PostLedger& ledger);

}  // namespace fanout
