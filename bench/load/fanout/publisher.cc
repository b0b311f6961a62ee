#include "fanout/publisher.h"

#include "fanout/clock.h"

namespace fanout {

PostLedger::PostLedger(std::size_t rooms) : accepted_(rooms), prefixes_(rooms) {}

void PostLedger::accepted(const Post& post, std::int64_t answer_latency_ns) {
  accepted_[post.room].insert(post.seq);
  prefixes_[post.room].store(accepted_[post.room].prefix(), std::memory_order_relaxed);
  accepted_count_.add();
  if (answer_latency_ns >= 0) {
    answer_latency_.record(answer_latency_ns);
  }
}

void PostLedger::rejected(const Post&, const std::string& why) {
  rejected_count_.add();
  std::lock_guard lock(mutex_);
  if (first_rejection_.empty()) {
    first_rejection_ = why;
  }
}

std::uint64_t PostLedger::accepted_prefix(std::size_t room) const {
  return prefixes_[room].load(std::memory_order_relaxed);
}

std::string PostLedger::first_rejection() const {
  std::lock_guard lock(mutex_);
  return first_rejection_;
}

void run_schedule(const Schedule& schedule, Publisher& publisher, std::int64_t finish_timeout_ns) {
  std::uint64_t next = 0;
  while (next < schedule.total) {
    const std::int64_t now = now_ns();
    // Everything due by now goes out, even when the loop woke late: the schedule, not the
    // server, sets the offered rate.
    while (next < schedule.total && schedule.due_ns(next) <= now) {
      publisher.send({.index = next,
                      .room = next % schedule.rooms,
                      .seq = next / schedule.rooms,
                      .due_ns = schedule.due_ns(next)});
      ++next;
    }
    if (next < schedule.total) {
      publisher.wait(schedule.due_ns(next));
    }
  }
  publisher.finish(now_ns() + finish_timeout_ns);
}

}  // namespace fanout
