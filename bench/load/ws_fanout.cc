// Load generator for the stream benchmarks W2 (fan-out), W3 (idle connections) and W7-style
// reconnect storms (shared/performance.md §4), against Kaiwa's WebSocket stream or, with the
// same subscriber loop and the same event bytes, against nats-server as the raw pub/sub peer.
//
//   ws_fanout fanout --kaiwa http://127.0.0.1:8080 --members-file m.txt --rate 1000 --duration 10
//   ws_fanout fanout --nats 127.0.0.1:4333 --rooms 10 --members 100 --rate 1000 --duration 10
//   ws_fanout idle   --kaiwa URL --members-file m.txt --hold 5 --server-pid PID
//   ws_fanout storm  --kaiwa URL --members-file m.txt --rate 200 --duration 15
//
// Each run prints one Markdown table row (--header adds the header) or a JSON object.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <sys/resource.h>

#include "fanout/runs.h"
#include "fanout/setup.h"

namespace {

struct Cli {
  std::string mode;
  std::string kaiwa_url;
  std::string nats_address;
  std::string members_file;
  std::size_t rooms = 1;
  std::size_t members = 2;
  bool header = false;
  bool json = false;
  fanout::RunOptions run;
};

void add_options(CLI::App& app, Cli& cli) {
  app.add_option("mode", cli.mode, "fanout | idle | storm")
      ->required()
      ->check(CLI::IsMember({"fanout", "idle", "storm"}));
  auto* kaiwa = app.add_option("--kaiwa", cli.kaiwa_url, "Kaiwa base URL (http://IPv4:PORT)");
  auto* nats = app.add_option("--nats", cli.nats_address, "nats-server IPv4:PORT");
  kaiwa->excludes(nats);
  app.add_option("--members-file", cli.members_file,
                 "Lines \"<room_id> <token>\"; each room's first token also posts");
  app.add_option("--rooms", cli.rooms, "Without a members file (NATS): number of rooms");
  app.add_option("--members", cli.members, "Without a members file (NATS): subscribers per room");
  app.add_option("--label", cli.run.label, "First column of the row (default: kaiwa or nats)");
  app.add_option("--rate", cli.run.rate, "Messages per second, all rooms together")
      ->check(CLI::PositiveNumber);
  app.add_option("--duration", cli.run.duration_s, "Seconds of posting");
  app.add_option("--hold", cli.run.hold_s, "idle: seconds to hold the connections");
  app.add_option("--storm-at", cli.run.storm_at_s,
                 "storm: seconds into posting when every connection is dropped");
  app.add_option("--drain", cli.run.drain_s, "Give up on late deliveries after this many quiet s");
  app.add_option("--connect-timeout", cli.run.connect_timeout_s, "Seconds for all to get ready");
  app.add_option("--body-bytes", cli.run.body_bytes, "Message body size in bytes (UTF-8)")
      ->check(CLI::Range(40, 60000));
  app.add_option("--post-connections", cli.run.post_connections, "Keep-alive HTTP connections")
      ->check(CLI::Range(1, 1000));
  app.add_option("--threads", cli.run.threads, "Subscriber event loops (threads)")
      ->check(CLI::Range(1, 64));
  app.add_option("--connect-window", cli.run.connect_window,
                 "Connections between TCP connect and ready, at most");
  app.add_option("--source-ips", cli.run.source_ips,
                 "Spread loopback sources over 127.0.0.2.. (0: kernel's choice)")
      ->check(CLI::Range(0, 250));
  app.add_option("--server-pid", cli.run.server_pid, "Server process for CPU/RSS columns");
  app.add_option("--warm-up", cli.run.warm_up_connections,
                 "idle: first GET /v2/me and /v2/rooms per account over N connections (0: cold)");
  app.add_flag("--header", cli.header, "Print the Markdown header before the row");
  app.add_flag("--json", cli.json, "Print a JSON object instead of a Markdown row");
}

fanout::Layout make_layout(const Cli& cli) {
  if (!cli.members_file.empty()) {
    return fanout::read_members_file(cli.members_file);
  }
  if (cli.run.protocol == fanout::Protocol::kKaiwa) {
    throw std::runtime_error("--kaiwa needs --members-file (tokens of room members)");
  }
  return fanout::synthetic_layout(cli.rooms, cli.members);
}

// Every subscriber is a socket here, and with a local server another one there: fail early
// and clearly instead of halfway through connecting.
void check_fd_budget(std::size_t subscribers, const fanout::RunOptions& run) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  const std::size_t needed = subscribers + run.post_connections + 64;
  if (needed > limit.rlim_cur) {
    throw std::runtime_error(std::to_string(subscribers) + " subscribers need ~" +
                             std::to_string(needed) + " descriptors; the limit is " +
                             std::to_string(limit.rlim_cur));
  }
}

int run(int argc, char** argv) {
  CLI::App app{"Stream fan-out load generator: Kaiwa WebSocket stream or nats-server"};
  Cli cli;
  add_options(app, cli);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  if (cli.kaiwa_url.empty() == cli.nats_address.empty()) {
    std::fprintf(stderr, "ws_fanout: give --kaiwa URL or --nats HOST:PORT\n");
    return 2;
  }
  cli.run.protocol = cli.kaiwa_url.empty() ? fanout::Protocol::kNats : fanout::Protocol::kKaiwa;
  cli.run.url = cli.kaiwa_url.empty() ? cli.nats_address : cli.kaiwa_url;
  if (cli.run.label.empty()) {
    cli.run.label = cli.run.protocol == fanout::Protocol::kKaiwa ? "kaiwa" : "nats";
  }
  fanout::Layout layout = make_layout(cli);
  check_fd_budget(layout.subscribers.size(), cli.run);

  fanout::Report report;
  if (cli.mode == "idle") {
    report = fanout::run_idle(cli.run, layout);
  } else if (cli.mode == "fanout") {
    report = fanout::run_fanout(cli.run, layout);
  } else {
    report = fanout::run_storm(cli.run, layout);
  }
  if (cli.json) {
    report.print_json();
  } else {
    report.print_markdown(cli.header);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ws_fanout: %s\n", error.what());
    return 1;
  }
}
