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
#include "api/kaiwa/invitation_api.h"
#include "api/kaiwa/kaiwa_api.h"
#include "api/kaiwa/people_api.h"
#include "api/kaiwa/profile_api.h"
#include "api/kaiwa/search_api.h"
#include "api/kaiwa/session_api.h"
#include "api/kaiwa/stream_api.h"
#include "core/json_text.h"
#include "edge/http_server.h"
#include "edge/router.h"
#include "edge/static_files.h"
#include "server/admin_commands.h"
#include "server/search_indexing.h"
#include "server/server_metrics.h"
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

// A path of the web client's own (no API prefix, no file extension), as opposed to an API or a
// file that does not exist.
bool is_client_route(std::string_view path) {
  for (const std::string_view api : {"/v2/", "/kaiwa/", "/files/", "/assets/"}) {
    if (path.starts_with(api)) {
      return false;
    }
  }
  const std::string_view last = path.substr(path.rfind('/') + 1);
  return last.find('.') == std::string_view::npos;
}

// HEAD is answered like GET (headers only) for the web client's pages and files, pictures and
// probes; not for the APIs, where a GET may have effects (fetching messages marks them fetched).
bool answers_head(std::string_view path) {
  return !path.starts_with("/v2/") && !path.starts_with("/kaiwa/");
}

// The built web client: the page at /, its hashed files under /assets/, and other files of its
// root (icons); see edge/static_files.h for the cache and security headers.
void add_web_client_routes(edge::Router& router, const edge::StaticFiles& web_client) {
  auto serve = [&web_client](edge::HttpRequest& request) {
    if (auto file = web_client.file(request.path)) {
      return std::move(*file);
    }
    return is_client_route(request.path) ? web_client.page()
                                         : api::chatwork::error_response(404, "Not found");
  };
  router.add("GET", "/", serve);
  router.add("GET", "/assets/{file}", serve);
  router.add("GET", "/{file}", serve);
}

// GET /metrics: Prometheus text. Unauthenticated, as scrapers expect; an ingress that exposes
// Kaiwa publicly should not route it (docs/operations.md).
void add_metrics_route(edge::Router& router, ServerMetrics& metrics) {
  router.add("GET", "/metrics", [&metrics](edge::HttpRequest&) {
    edge::HttpResponse response = plain_text(200, metrics.render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });
}

// Values read from the running parts at each scrape.
void add_samplers(ServerMetrics& metrics, edge::HttpServer& server, Application& parts,
                  api::kaiwa::EventHub& hub) {
  auto as_double = [](auto value) { return static_cast<double>(value); };
  metrics.add_gauge("kaiwa_websocket_connections", "Open WebSocket connections",
                    [&server, as_double] { return as_double(server.websocket_count()); });
  metrics.add_gauge("kaiwa_streams", "Event streams attached to the hub",
                    [&hub, as_double] { return as_double(hub.stream_count()); });
  metrics.add_counter("kaiwa_events_fanned_out_total", "Events read from the log and fanned out",
                      [&hub, as_double] { return as_double(hub.events_fanned_out()); });
  metrics.add_counter("kaiwa_event_deliveries_total", "Events queued to streams",
                      [&hub, as_double] { return as_double(hub.deliveries()); });
  metrics.add_counter("kaiwa_store_commits_total", "Store transactions committed (group commits)",
                      [&parts, as_double] { return as_double(parts.store->commits()); });
  metrics.add_counter("kaiwa_store_committed_writes_total",
                      "Writes committed; over commits, the mean group-commit batch",
                      [&parts, as_double] { return as_double(parts.store->committed_writes()); });
  if (parts.search) {
    app::SearchService& search = *parts.search;
    metrics.add_gauge("kaiwa_search_index_lag_events", "Events not yet indexed", [&search] {
      auto lag = search.lag();
      return lag ? static_cast<double>(lag->head - lag->indexed_through) : -1.0;
    });
    metrics.add_counter("kaiwa_search_index_rebuilds_total",
                        "Search index rebuilds from the store (first build, retention, reindex)",
                        [&search] { return static_cast<double>(search.rebuilds()); });
    metrics.add_gauge(
        "kaiwa_search_index_lag_seconds", "Age of the oldest event not yet indexed",
        [&search, &parts] {
          auto lag = search.lag();
          if (!lag || lag->oldest_waiting_ms == 0) {
            return 0.0;
          }
          return static_cast<double>(parts.clock.now_unix_ms() - lag->oldest_waiting_ms) / 1000.0;
        });
  }
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
  // Only the upload routes may carry a file-sized body (POST /v2/rooms/{room_id}/files, and
  // PUT /kaiwa/v1/me/avatar, whose smaller limit its use case enforces with a clear 413).
  options.accepts_upload = [](std::string_view method, std::string_view path) {
    const auto segments = edge::split_path(path);
    return (method == "POST" && segments.size() == 4 && segments[0] == "v2" &&
            segments[1] == "rooms" && segments[3] == "files") ||
           api::kaiwa::ProfileApi::accepts_upload(method, path);
  };
  options.worker_threads = config.worker_threads;
  options.websocket_ping_after = std::chrono::seconds(config.websocket_ping_seconds);
  // Headroom for the multipart framing around the largest allowed file.
  constexpr std::size_t kMultipartOverheadBytes = std::size_t{64} * 1024;
  options.max_upload_body_bytes =
      static_cast<std::size_t>(config.max_upload_bytes) + kMultipartOverheadBytes;

  edge::Router router;
  ServerMetrics metrics;
  const edge::StaticFiles web_client(config.web_dir);
  // Set once wiring is done, before serve(); /v2 misses are answered through it.
  api::chatwork::ChatworkApi* chatwork_api = nullptr;
  auto dispatch = [&router, &chatwork_api, &metrics, &web_client](
                      edge::HttpRequest& request, const edge::Responder& unobserved,
                      const edge::BlockingRunner& run_blocking) {
    if (request.method == "HEAD" && answers_head(request.path)) {
      request.method = "GET";  // the server sends the GET answer's headers without its body
    }
    auto match = router.match(request);
    ServerMetrics::RouteMetrics& route = match.kind == edge::Router::MatchKind::kFound
                                             ? metrics.route(match.index)
                                             : metrics.unmatched();
    const edge::Responder respond = [&route, unobserved, start = std::chrono::steady_clock::now()](
                                        edge::HttpResponse response) {
      ServerMetrics::observe(route, response.status, std::chrono::steady_clock::now() - start);
      unobserved(std::move(response));
    };
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
    if (request.method == "GET" && is_client_route(request.path)) {
      // The client routes with the history API: a reload of /rooms/12 gets the page.
      run_blocking([&web_client, respond] { respond(web_client.page()); });
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
                                      *parts.messages, *parts.tasks, *parts.files, *parts.sessions},
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
  api::kaiwa::SessionApi session_api(chatwork, *parts.sessions,
                                     config.public_url.starts_with("https://"),
                                     config.max_upload_bytes);
  session_api.add_routes(router);
  api::kaiwa::ProfileApi profile_api(chatwork, *parts.profiles);
  profile_api.add_routes(router);
  api::kaiwa::InvitationApi invitation_api(chatwork, *parts.invitations);
  invitation_api.add_routes(router);
  api::kaiwa::PeopleApi people_api(chatwork, *parts.contacts, *parts.colleagues);
  people_api.add_routes(router);

  add_metrics_route(router, metrics);
  add_web_client_routes(router, web_client);
  add_samplers(metrics, server, parts, hub);
  metrics.add_routes(router.routes());

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
  serve
      ->add_option("--ws-ping-seconds", config.websocket_ping_seconds,
                   "WebSocket silence before a ping; as long again without a word closes")
      ->envname("KAIWA_WS_PING_SECONDS")
      ->check(CLI::Range(1, 3600));
  serve->add_flag("!--empty-lists-as-json", config.empty_list_no_content,
                  "Answer empty lists with [] instead of Chatwork's 204");
  serve->add_option("--web-dir", config.web_dir, "Directory of the built web client")
      ->envname("KAIWA_WEB_DIR");
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
