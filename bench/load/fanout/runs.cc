#include "fanout/runs.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "fanout/clock.h"
#include "fanout/proc_stats.h"
#include "fanout/publisher.h"
#include "fanout/warm_up.h"

namespace fanout {
namespace {

constexpr std::int64_t kPollNs = 1 * kNsPerMs;
constexpr std::int64_t kProgressNs = 5 * kNsPerSecond;

// Runs a worker thread's body. A system call failing there (out of descriptors, server gone)
// ends the run: there is no meaningful partial result, and an exception escaping a thread would
// only print "terminate called".
template <typename Body>
void or_exit(Body&& body) noexcept {
  try {
    body();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ws_fanout: %s\n", error.what());
    std::_Exit(1);
  }
}

void sleep_until(std::int64_t deadline_ns) {
  while (true) {
    const std::int64_t remaining = deadline_ns - now_ns();
    if (remaining <= 0) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(remaining, kPollNs)));
  }
}

std::int64_t seconds_to_ns(double seconds) {
  return static_cast<std::int64_t>(seconds * static_cast<double>(kNsPerSecond));
}

// The subscriber loops of one run and their threads, dealt the subscribers round-robin.
class SubscriberGroup {
 public:
  SubscriberGroup(const RunOptions& options, const Layout& layout) {
    const Endpoint endpoint = parse_endpoint(options.protocol, options.url);
    std::vector<std::vector<SubscriberSpec>> shares(std::max<std::size_t>(options.threads, 1));
    for (std::size_t i = 0; i < layout.subscribers.size(); ++i) {
      shares[i % shares.size()].push_back(layout.subscribers[i]);
    }
    for (std::size_t i = 0; i < shares.size(); ++i) {
      LoopOptions loop_options{
          .endpoint = endpoint,
          .connect_window = std::max<std::size_t>(options.connect_window / shares.size(), 1),
          .source_ips = is_loopback(endpoint) ? options.source_ips : 0,
          .seed = i + 1};
      loops_.push_back(
          std::make_unique<SubscriberLoop>(loop_options, layout.rooms, std::move(shares[i])));
    }
    total_ = layout.subscribers.size();
  }

  ~SubscriberGroup() { stop(); }

  SubscriberGroup(const SubscriberGroup&) = delete;
  SubscriberGroup& operator=(const SubscriberGroup&) = delete;

  void start() {
    for (auto& loop : loops_) {
      threads_.emplace_back([&loop] { or_exit([&loop] { loop->run(); }); });
    }
  }

  void stop() {
    for (auto& loop : loops_) {
      loop->stop();
    }
    threads_.clear();  // jthread joins
  }

  std::size_t size() const { return total_; }

  std::uint64_t sum(Counter LoopStats::*counter) const {
    std::uint64_t total = 0;
    for (const auto& loop : loops_) {
      total += (loop->stats().*counter).get();
    }
    return total;
  }

  // Until every subscriber is live; throws with the first error when one was given up on.
  void wait_until_live(double timeout_s) const {
    const std::int64_t started = now_ns();
    std::int64_t next_progress = started + kProgressNs;
    while (sum(&LoopStats::live) < total_) {
      if (sum(&LoopStats::failed) > 0 || now_ns() > started + seconds_to_ns(timeout_s)) {
        throw std::runtime_error("only " + std::to_string(sum(&LoopStats::live)) + " of " +
                                 std::to_string(total_) + " subscribers became ready (" +
                                 std::to_string(sum(&LoopStats::tcp_connects)) +
                                 " TCP connects); first error: " + first_error());
      }
      if (now_ns() > next_progress) {  // a slow start should not look like a hang
        std::fprintf(stderr, "ws_fanout: %llu of %zu subscribers ready\n",
                     static_cast<unsigned long long>(sum(&LoopStats::live)), total_);
        next_progress += kProgressNs;
      }
      sleep_until(now_ns() + kPollNs);
    }
  }

  // When the slowest loop reached the storm milestone, or nullopt while one has not yet.
  std::optional<std::int64_t> storm_milestone(std::atomic<std::int64_t> LoopStats::*field) const {
    std::int64_t latest = 0;
    for (const auto& loop : loops_) {
      const std::int64_t at = (loop->stats().*field).load();
      if (at == 0) {
        return std::nullopt;
      }
      latest = std::max(latest, at);
    }
    return latest;
  }

  void storm(const SubscriberLoop::AcceptedPrefix& accepted_prefix) {
    for (auto& loop : loops_) {
      loop->storm(accepted_prefix);
    }
  }

  std::string first_error() const {
    for (const auto& loop : loops_) {
      if (std::string error = loop->first_error(); !error.empty()) {
        return error;
      }
    }
    return "none";
  }

  // After stop():
  Histogram latency() const {
    Histogram merged;
    for (const auto& loop : loops_) {
      merged.merge(loop->latency());
    }
    return merged;
  }

  std::uint64_t lost(const PostLedger& ledger, std::size_t rooms) const {
    std::vector<const SeqSet*> accepted;
    for (std::size_t room = 0; room < rooms; ++room) {
      accepted.push_back(&ledger.accepted_set(room));
    }
    std::uint64_t lost = 0;
    for (const auto& loop : loops_) {
      lost += loop->lost(accepted);
    }
    return lost;
  }

 private:
  std::vector<std::unique_ptr<SubscriberLoop>> loops_;
  std::vector<std::jthread> threads_;
  std::size_t total_ = 0;
};

// The server's CPU time and memory at one instant (zeros without --server-pid).
struct ServerSample {
  double cpu_s = 0;
  std::int64_t rss = 0;
  double own_cpu_s = 0;
};

ServerSample sample(pid_t server_pid) {
  ServerSample sample;
  if (server_pid > 0) {
    sample.cpu_s = proc::cpu_seconds(server_pid).value_or(0);
    sample.rss = proc::rss_bytes(server_pid).value_or(0);
  }
  sample.own_cpu_s = proc::own_cpu_seconds();
  return sample;
}

Schedule make_schedule(const RunOptions& options, Layout& layout) {
  Schedule schedule{.start_ns = 0,
                    .rate = options.rate,
                    .total = static_cast<std::uint64_t>(options.rate * options.duration_s),
                    .rooms = layout.rooms.size()};
  for (std::size_t room = 0; room < layout.rooms.size(); ++room) {
    layout.rooms[room].seq_limit = schedule.seqs_for_room(room);
  }
  return schedule;
}

std::unique_ptr<Publisher> make_publisher(const RunOptions& options, const Layout& layout,
                                          PostLedger& ledger) {
  if (options.protocol == Protocol::kNats) {
    return make_nats_publisher(options.url, options.body_bytes, layout.rooms, ledger);
  }
  const Endpoint endpoint = parse_endpoint(Protocol::kKaiwa, options.url);
  return make_http_publisher({.address = endpoint.address,
                              .host_header = endpoint.host_header,
                              .connections = options.post_connections,
                              .body_bytes = options.body_bytes},
                             layout.rooms, ledger);
}

// Deliveries the subscribers should get: each accepted post times its room's subscribers.
std::uint64_t expected_deliveries(const PostLedger& ledger, const Layout& layout) {
  std::uint64_t expected = 0;
  for (std::size_t room = 0; room < layout.rooms.size(); ++room) {
    expected += ledger.accepted_set(room).size() * layout.subscribers_per_room[room];
  }
  return expected;
}

// Waits for the deliveries still in flight once posting ended: until all expected arrived or
// nothing new came for `drain_s`. Returns when the last new delivery was seen.
std::int64_t drain(const SubscriberGroup& group, std::uint64_t expected, double drain_s) {
  std::uint64_t seen = group.sum(&LoopStats::fresh);
  std::int64_t last_progress = now_ns();
  while (seen < expected && now_ns() - last_progress < seconds_to_ns(drain_s)) {
    sleep_until(now_ns() + kPollNs);
    const std::uint64_t now_seen = group.sum(&LoopStats::fresh);
    if (now_seen != seen) {
      seen = now_seen;
      last_progress = now_ns();
    }
  }
  return last_progress;
}

std::string per_thousand(double cpu_s, std::uint64_t operations) {
  if (operations == 0) {
    return "–";
  }
  return fmt::format("{:.4f}", cpu_s * 1000.0 / static_cast<double>(operations));
}

std::string kib_per(std::int64_t bytes, std::size_t count) {
  return fmt::format("{:.2f} KiB",
                     static_cast<double>(bytes) / 1024.0 / static_cast<double>(count));
}

void warn_if_incomplete(std::uint64_t lost, std::uint64_t duplicates, const PostLedger& ledger) {
  if (lost > 0 || duplicates > 0) {
    std::fprintf(stderr, "ws_fanout: %llu deliveries lost, %llu duplicated\n",
                 static_cast<unsigned long long>(lost),
                 static_cast<unsigned long long>(duplicates));
  }
  if (ledger.rejected_count() > 0) {
    std::fprintf(stderr, "ws_fanout: %llu posts rejected; first: %s\n",
                 static_cast<unsigned long long>(ledger.rejected_count()),
                 ledger.first_rejection().c_str());
  }
}

}  // namespace

Report run_idle(const RunOptions& options, Layout& layout) {
  if (options.warm_up_connections > 0 && options.protocol == Protocol::kKaiwa) {
    warm_up_accounts(parse_endpoint(options.protocol, options.url), layout,
                     options.warm_up_connections);
  }
  SubscriberGroup group(options, layout);
  const ServerSample before = sample(options.server_pid);
  const std::int64_t started = now_ns();
  group.start();
  group.wait_until_live(options.connect_timeout_s);
  const std::int64_t connected = now_ns();
  const ServerSample ready = sample(options.server_pid);
  sleep_until(connected + seconds_to_ns(options.hold_s));
  const ServerSample held = sample(options.server_pid);
  const std::uint64_t drops = group.sum(&LoopStats::drops) + group.sum(&LoopStats::remote_closes);
  group.stop();

  const std::size_t n = group.size();
  const double connect_s = static_cast<double>(connected - started) / 1e9;
  Report report;
  report.add("system", options.label)
      .add("connections", std::to_string(n))
      .add("all ready after", format_duration(connected - started))
      .add("connects/s", static_cast<double>(n) / connect_s, 0);
  if (options.server_pid > 0) {
    report.add("server RSS / conn", kib_per(ready.rss - before.rss, n))
        .add("server CPU s / 1k connects", per_thousand(ready.cpu_s - before.cpu_s, n))
        .add("server CPU idle (% of a core)", (held.cpu_s - ready.cpu_s) * 100 / options.hold_s, 2);
  }
  // No kernel column: slab caches keep freed socket objects, so a run right after another
  // would show almost nothing; the kernel's ~5 KB per socket is the same for every server.
  report.add("drops while idle", std::to_string(drops));
  return report;
}

Report run_fanout(const RunOptions& options, Layout& layout) {
  Schedule schedule = make_schedule(options, layout);
  SubscriberGroup group(options, layout);
  group.start();
  group.wait_until_live(options.connect_timeout_s);

  PostLedger ledger(layout.rooms.size());
  std::unique_ptr<Publisher> publisher = make_publisher(options, layout, ledger);
  const ServerSample before = sample(options.server_pid);
  schedule.start_ns = now_ns() + 20 * kNsPerMs;
  run_schedule(schedule, *publisher, seconds_to_ns(options.drain_s));
  const std::int64_t last_delivery =
      drain(group, expected_deliveries(ledger, layout), options.drain_s);
  const ServerSample after = sample(options.server_pid);
  const std::uint64_t reconnects = group.sum(&LoopStats::tcp_connects) - group.size();
  group.stop();

  const std::uint64_t fresh = group.sum(&LoopStats::fresh);
  const std::uint64_t duplicates = group.sum(&LoopStats::duplicates);
  const std::uint64_t lost = group.lost(ledger, layout.rooms.size());
  const Histogram latency = group.latency();
  warn_if_incomplete(lost, duplicates, ledger);
  const double window_s =
      std::max(static_cast<double>(last_delivery - schedule.start_ns) / 1e9, options.duration_s);
  const std::size_t room_size = layout.subscribers_per_room.front();
  Report report;
  report.add("system", options.label)
      .add("room size", std::to_string(room_size))
      .add("rooms", std::to_string(layout.rooms.size()))
      .add("subscribers", std::to_string(group.size()))
      .add("msgs/s", options.rate, 0)
      .add("deliveries/s", static_cast<double>(fresh) / window_s, 0)
      .add("p50", format_duration(latency.percentile(0.50)))
      .add("p99", format_duration(latency.percentile(0.99)))
      .add("p99.9", format_duration(latency.percentile(0.999)))
      .add("max", format_duration(latency.max()))
      .add("lost", std::to_string(lost))
      .add("dup", std::to_string(duplicates))
      .add("reconnects", std::to_string(reconnects));
  if (options.protocol == Protocol::kKaiwa) {
    report.add("post p99", format_duration(ledger.answer_latency().percentile(0.99)));
  } else {
    report.add("post p99", "–");
  }
  if (options.server_pid > 0) {
    report.add("server CPU s / 1k deliveries", per_thousand(after.cpu_s - before.cpu_s, fresh));
  }
  report.add("client CPU s / 1k deliveries",
             per_thousand(after.own_cpu_s - before.own_cpu_s, fresh));
  return report;
}

Report run_storm(const RunOptions& options, Layout& layout) {
  Schedule schedule = make_schedule(options, layout);
  SubscriberGroup group(options, layout);
  group.start();
  group.wait_until_live(options.connect_timeout_s);
  const std::uint64_t connects_before = group.sum(&LoopStats::tcp_connects);

  PostLedger ledger(layout.rooms.size());
  std::unique_ptr<Publisher> publisher = make_publisher(options, layout, ledger);
  schedule.start_ns = now_ns() + 20 * kNsPerMs;
  // The poster keeps the schedule on its own thread while this one drops the subscribers.
  std::jthread poster([&] {
    or_exit([&] { run_schedule(schedule, *publisher, seconds_to_ns(options.drain_s)); });
  });

  const double storm_at = options.storm_at_s >= 0 ? options.storm_at_s : options.duration_s / 3;
  sleep_until(schedule.start_ns + seconds_to_ns(storm_at));
  const ServerSample before = sample(options.server_pid);
  const std::int64_t dropped_at = now_ns();
  group.storm([&ledger](std::size_t room) { return ledger.accepted_prefix(room); });
  const std::int64_t give_up = dropped_at + seconds_to_ns(options.connect_timeout_s);
  while ((!group.storm_milestone(&LoopStats::storm_all_ready_ns) ||
          !group.storm_milestone(&LoopStats::storm_all_caught_up_ns)) &&
         now_ns() < give_up) {
    sleep_until(now_ns() + kPollNs);
  }
  const ServerSample recovered = sample(options.server_pid);
  const auto all_ready = group.storm_milestone(&LoopStats::storm_all_ready_ns);
  const auto caught_up = group.storm_milestone(&LoopStats::storm_all_caught_up_ns);
  poster.join();
  drain(group, expected_deliveries(ledger, layout), options.drain_s);
  const std::uint64_t reconnects = group.sum(&LoopStats::tcp_connects) - connects_before;
  group.stop();

  const std::uint64_t duplicates = group.sum(&LoopStats::duplicates);
  const std::uint64_t lost = group.lost(ledger, layout.rooms.size());
  warn_if_incomplete(lost, duplicates, ledger);
  const auto since_drop = [&](const std::optional<std::int64_t>& at) {
    return at ? format_duration(*at - dropped_at) : std::string("not within the timeout");
  };
  Report report;
  report.add("system", options.label)
      .add("connections", std::to_string(group.size()))
      .add("msgs/s", options.rate, 0)
      .add("all ready after", since_drop(all_ready))
      .add("all caught up after", since_drop(caught_up))
      .add("reconnects", std::to_string(reconnects))
      .add("lost", std::to_string(lost))
      .add("dup", std::to_string(duplicates))
      .add("resyncs", std::to_string(group.sum(&LoopStats::resyncs)));
  if (options.server_pid > 0) {
    report.add("server CPU s (drop → caught up)", recovered.cpu_s - before.cpu_s, 2);
  }
  return report;
}

}  // namespace fanout
