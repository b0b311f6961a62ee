// kaiwa: the business chat server. `kaiwa serve` runs it; `kaiwa admin` administers it.
#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>
#include <sched.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "api/chatwork/chatwork_api.h"
#include "api/chatwork/error_mapping.h"
#include "api/kaiwa/event_hub.h"
#include "api/kaiwa/kaiwa_api.h"
#include "api/kaiwa/search_api.h"
#include "api/kaiwa/stream_api.h"
#include "core/json_text.h"
#include "edge/http_server.h"
#include "edge/router.h"
#include "server/admin_commands.h"
#include "server/search_indexing.h"
#include "server/wiring.h"

namespace kaiwa::server {
namespace {

bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return false;
  }
  host = listen.substr(0, colon);
  try {
    int value = std::stoi(listen.substr(colon + 1));
    if (value < 0 || value > 65535) {
      return false;
    }
    port = static_cast<std::uint16_t>(value);
  } catch (const std::exception&) {
    return false;
  }
  return !host.empty();
}

// CPUs in this process's affinity mask (taskset, cgroup cpusets), at least 1.
int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    return 1;
  }
  return std::max(1, CPU_COUNT(&set));
}

edge::HttpResponse plain_text(int status, std::string body) {
  edge::HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

// Opens the search index into parts (when search is on) and says how it found it.
bool start_search(const Config& config, Application& parts) {
  auto directory = search_directory(config);
  if (!directory) {
    std::cerr << directory.error().message << std::endl;
    return false;
  }
  if (!*directory) {
    return true;
  }
  if (auto opened = open_search(parts, **directory); !opened) {
    spdlog::error("{}", core::json_log_line("cannot open the search index",
                                            {{"error", opened.error().message}}));
    return false;
  }
  const auto& report = parts.search_index->open_report();
  if (report.recovered || report.recreated) {
    spdlog::warn("{}", core::json_log_line(report.recreated
                                               ? "search index recreated; rebuilding from the store"
                                               : "search index was not closed cleanly; repaired, "
                                                 "catching up from its checkpoint",
                                           {{"directory", (*directory)->string()}}));
  }
  return true;
}

int serve(Config config) {
  edge::HttpServerOptions options;
  if (!split_listen(config.listen, options.host, options.port)) {
    std::cerr << "invalid --listen " << config.listen << " (expected HOST:PORT)" << std::endl;
    return 2;
  }
  options.io_threads = config.io_threads > 0 ? config.io_threads : usable_cpus();
  // Only the upload route may carry a file-sized body (POST /v2/rooms/{room_id}/files).
  options.accepts_upload = [](std::string_view method, std::string_view path) {
    const auto segments = edge::split_path(path);
    return method == "POST" && segments.size() == 4 && segments[0] == "v2" &&
           segments[1] == "rooms" && segments[3] == "files";
  };
  options.worker_threads = config.worker_threads;
  // Headroom for the multipart framing around the largest allowed file.
  constexpr std::size_t kMultipartOverheadBytes = std::size_t{64} * 1024;
  options.max_upload_body_bytes =
      static_cast<std::size_t>(config.max_upload_bytes) + kMultipartOverheadBytes;

  edge::Router router;
  // Set once wiring is done, before serve(); /v2 misses are answered through it.
  api::chatwork::ChatworkApi* chatwork_api = nullptr;
  auto dispatch = [&router, &chatwork_api](edge::HttpRequest& request,
                                           const edge::Responder& respond,
                                           const edge::BlockingRunner& run_blocking) {
    auto match = router.match(request);
    if (match.kind == edge::Router::MatchKind::kFound) {
      if (match.blocking) {
        run_blocking([handler = match.handler, &request, respond, run_blocking] {
          (*handler)(request, respond, run_blocking);
        });
      } else {
        (*match.handler)(request, respond, run_blocking);
      }
      return;
    }
    const bool wrong_method = match.kind == edge::Router::MatchKind::kNoMethod;
    const int status = wrong_method ? 405 : 404;
    const std::string_view message = wrong_method ? "Method not allowed" : "Not found";
    if (request.path.rfind("/v2/", 0) == 0 && chatwork_api != nullptr) {
      // Authenticating reads the store, so it runs where blocking is allowed.
      run_blocking([&chatwork_api, &request, respond, status, message] {
        chatwork_api->unmatched(request, respond, status, message);
      });
      return;
    }
    respond(api::chatwork::error_response(status, message));
  };
  edge::HttpServer server(options, dispatch, [](int status, std::string_view message) {
    return api::chatwork::error_response(status, message);
  });
  auto port = server.bind();
  if (!port) {
    spdlog::error("{}", core::json_log_line("cannot listen", {{"error", port.error().message}}));
    return 2;
  }
  const std::string url = "http://" + options.host + ":" + std::to_string(*port);
  if (config.public_url.empty()) {
    config.public_url = url;
  }
  auto application = open_application(config);
  if (!application) {
    spdlog::error("{}", core::json_log_line("cannot open data directory",
                                            {{"error", application.error().message}}));
    return 2;
  }
  std::unique_ptr<Application> owner = std::move(application).value();
  Application& parts = *owner;
  api::chatwork::ChatworkApi chatwork(
      api::chatwork::ChatworkServices{*parts.accounts, *parts.contacts, *parts.rooms,
                                      *parts.messages, *parts.tasks, *parts.files},
      *parts.crypto, parts.clock,
      api::chatwork::ChatworkApiOptions{config.public_url, config.rate_limit,
                                        std::chrono::seconds(config.rate_window_seconds),
                                        config.empty_list_no_content});
  router.add("GET", "/healthz", [](edge::HttpRequest&) { return plain_text(200, "ok\n"); });
  // Ready while the store answers a read; liveness never touches the store (operations.md R1).
  router.add("GET", "/readyz", [&parts, &server](edge::HttpRequest&) {
    if (server.draining()) {
      return plain_text(503, "draining\n");
    }
    core::Status store_ok = parts.store->run_read([](ports::StoreTx& tx) -> core::Status {
      auto secret = tx.find_setting("url_signing_secret");
      if (!secret) {
        return secret.error();
      }
      return core::ok();
    });
    return store_ok ? plain_text(200, "ready\n") : plain_text(503, "store unavailable\n");
  });
  chatwork.add_routes(router);
  chatwork_api = &chatwork;
  api::kaiwa::add_history_routes(chatwork, router);
  api::kaiwa::EventHub hub(*parts.stream, api::kaiwa::EventHubOptions{});
  if (auto started = hub.start(); !started) {
    spdlog::error("{}", core::json_log_line("cannot start the event hub",
                                            {{"error", started.error().message}}));
    return 2;
  }
  if (!start_search(config, parts)) {
    hub.stop();
    return 2;
  }
  std::optional<SearchIndexing> indexing;
  std::optional<api::kaiwa::SearchApi> search_api;
  if (parts.search) {
    indexing.emplace(*parts.search);
    indexing->start();
    search_api.emplace(chatwork, *parts.search);
    search_api->add_routes(router);
  }
  parts.store->set_commit_listener([&hub, &indexing] {
    hub.notify();
    if (indexing) {
      indexing->notify();
    }
  });
  api::kaiwa::StreamApi stream_api(chatwork, *parts.stream, hub);
  stream_api.add_routes(router);

  server.serve();
  std::cout << R"({"event":"ready","url":")" << url << R"("})" << std::endl;
  spdlog::info("{}", core::json_log_line("ready", {{"url", url}, {"data", config.data_dir}}));
  server.wait_for_signal(std::chrono::seconds(10));
  parts.store->set_commit_listener(nullptr);
  hub.stop();
  if (indexing) {
    indexing->stop();
  }
  // The store drains its queued writes as it closes, and their completions call into the API
  // object: close it while that object still exists.
  owner.reset();
  return 0;
}

// `kaiwa reindex`: rebuilds in this process when no server holds the index, or leaves the
// running server a request it answers within a second. Prints one JSON object.
int reindex(const Config& config) {
  auto application = open_application(config);
  auto directory = search_directory(config);
  if (!application || !directory || !*directory) {
    std::cerr << (!application ? application.error().message
                  : !directory ? directory.error().message
                               : "search is off")
              << std::endl;
    return 2;
  }
  Application& parts = **application;
  if (auto opened = open_search(parts, **directory); !opened) {
    if (opened.error().code != core::ErrorCode::kConflict) {
      std::cerr << opened.error().message << std::endl;
      return 2;
    }
    if (auto requested =
            app::SearchService::request_rebuild(*parts.store, parts.clock.now_unix_ms());
        !requested) {
      std::cerr << requested.error().message << std::endl;
      return 2;
    }
    std::cout << R"({"requested":true})" << std::endl;
    return 0;
  }
  auto indexed = parts.search->rebuild();
  if (!indexed) {
    std::cerr << indexed.error().message << std::endl;
    return 2;
  }
  std::cout << R"({"indexed":)" << *indexed << "}" << std::endl;
  return 0;
}

}  // namespace
}  // namespace kaiwa::server

namespace {

int run(int argc, char** argv) {
  using kaiwa::server::Config;
  // Logs are lines on stderr; stdout carries only machine-readable output.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("kaiwa"));
  spdlog::set_pattern("%v");

  CLI::App app{"Kaiwa: a business chat server that speaks the Chatwork API"};
  app.require_subcommand(1);
  Config config;
  int exit_code = 0;

  CLI::App* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("--data", config.data_dir, "Data directory")->envname("KAIWA_DATA");
  serve->add_option("--listen", config.listen, "HOST:PORT to listen on")->envname("KAIWA_LISTEN");
  serve->add_option("--public-url", config.public_url, "Base URL clients reach Kaiwa at")
      ->envname("KAIWA_PUBLIC_URL");
  serve->add_option("--rate-limit", config.rate_limit, "Requests per token per window")
      ->envname("KAIWA_RATE_LIMIT")
      ->check(CLI::Range(1, 1000000000));
  serve->add_option("--rate-window-seconds", config.rate_window_seconds, "Rate limit window")
      ->envname("KAIWA_RATE_WINDOW_SECONDS")
      ->check(CLI::Range(1, 86400));
  serve->add_option("--io-threads", config.io_threads, "I/O threads (0: one per usable CPU)")
      ->envname("KAIWA_IO_THREADS")
      ->check(CLI::Range(0, 256));
  serve->add_option("--workers", config.worker_threads, "Handler threads")
      ->envname("KAIWA_WORKERS")
      ->check(CLI::Range(1, 1024));
  serve->add_option("--max-upload-bytes", config.max_upload_bytes, "Largest file upload")
      ->envname("KAIWA_MAX_UPLOAD_BYTES")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 30));
  serve->add_flag("!--empty-lists-as-json", config.empty_list_no_content,
                  "Answer empty lists with [] instead of Chatwork's 204");
  serve
      ->add_option("--search", config.search,
                   "Search index: groonga://PATH (default: <data>/search), or off")
      ->envname("KAIWA_SEARCH");
  serve->callback([&] { exit_code = kaiwa::server::serve(config); });

  CLI::App* migrate = app.add_subcommand("migrate", "Apply schema migrations and exit");
  migrate->add_option("--data", config.data_dir, "Data directory")->envname("KAIWA_DATA");
  migrate->callback([&] {
    auto application = kaiwa::server::open_application(config);
    if (!application) {
      std::cerr << application.error().message << std::endl;
      exit_code = 2;
      return;
    }
    std::cout << "{}" << std::endl;
  });

  CLI::App* reindex = app.add_subcommand(
      "reindex", "Rebuild the search index from the store (or ask the running server to)");
  reindex->add_option("--data", config.data_dir, "Data directory")->envname("KAIWA_DATA");
  reindex->add_option("--search", config.search, "Search index: groonga://PATH")
      ->envname("KAIWA_SEARCH");
  reindex->callback([&] { exit_code = kaiwa::server::reindex(config); });

  kaiwa::server::add_admin_commands(app, config);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}

}  // namespace

// Exceptions mean bad configuration or a bug (conventions, error handling rule 4): report and
// exit non-zero rather than terminate.
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kaiwa: " << e.what() << std::endl;
    return 1;
  }
}
