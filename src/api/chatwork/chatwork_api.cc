#include "api/chatwork/chatwork_api.h"

#include <array>

#include "api/chatwork/handlers.h"

namespace kaiwa::api::chatwork {

std::string_view request_token(const edge::HttpRequest& request) {
  std::string_view token = request.header("x-chatworktoken");
  if (!token.empty()) {
    return token;
  }
  std::string_view authorization = request.header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  if (authorization.size() <= kBearer.size()) {
    return {};
  }
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  for (std::size_t i = 0; i < kBearer.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kBearer[i]) {
      return {};
    }
  }
  return authorization.substr(kBearer.size());
}

// "https://chat.example.com:8443/base" -> "https://chat.example.com:8443", as browsers send Origin.
std::string origin_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(url);
  }
  return std::string(url.substr(0, url.find('/', scheme_end + 3)));
}

std::string_view session_cookie(const edge::HttpRequest& request) {
  // Cookie: a=1; kaiwa_session=...; b=2 (RFC 6265 §5.4). Every Cookie header counts.
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") {
      continue;
    }
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(';'), rest.size());
      std::string_view pair = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      while (!pair.empty() && pair.front() == ' ') {
        pair.remove_prefix(1);
      }
      if (pair.starts_with(kSessionCookie) && pair.size() > kSessionCookie.size() &&
          pair[kSessionCookie.size()] == '=') {
        return pair.substr(kSessionCookie.size() + 1);
      }
    }
  }
  return {};
}

ChatworkApi::ChatworkApi(ChatworkServices services, ports::Crypto& crypto, ports::Clock& clock,
                         const ChatworkApiOptions& options)
    : context_{services, CodecContext{options.public_url}, options.empty_list_no_content},
      crypto_(crypto),
      clock_(clock),
      rate_limiter_(options.rate_limit, options.rate_window),
      own_origin_(origin_of(options.public_url)) {}

namespace {

// Methods that change nothing (RFC 9110 §9.2.1), so a forged cross-site request gains nothing.
bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// Wraps respond so the answer carries the token's rate-limit state.
edge::Responder with_rate_headers(edge::Responder respond, edge::RateLimiter::Decision decision) {
  return [respond = std::move(respond), decision](edge::HttpResponse response) {
    response.set_header("X-RateLimit-Limit", std::to_string(decision.limit));
    response.set_header("X-RateLimit-Remaining", std::to_string(decision.remaining));
    response.set_header("X-RateLimit-Reset", std::to_string(decision.reset_unix));
    respond(std::move(response));
  };
}

}  // namespace

void ChatworkApi::remember_token(const std::string& digest) {
  std::lock_guard lock(known_tokens_mutex_);
  // Bounded: a full set starts over, and tokens simply take the ordinary path once more.
  if (known_tokens_.size() >= kMaxKnownTokens) {
    known_tokens_.clear();
  }
  known_tokens_.insert(digest);
}

void ChatworkApi::forget_token(const std::string& digest) {
  std::lock_guard lock(known_tokens_mutex_);
  known_tokens_.erase(digest);
}

bool ChatworkApi::is_known_token(const std::string& digest) const {
  std::lock_guard lock(known_tokens_mutex_);
  return known_tokens_.count(digest) > 0;
}

void ChatworkApi::guard(edge::HttpRequest& request, const edge::Responder& respond,
                        const GuardedHandle& handle) {
  std::string_view token = request_token(request);
  // A browser sends its session in a cookie; a header always wins (bots, SDKs).
  const bool from_cookie = token.empty();
  if (from_cookie) {
    token = session_cookie(request);
  }
  if (token.empty() || token.size() > kMaxTokenBytes) {
    respond(error_response(401, "Invalid API token"));
    return;
  }
  std::string digest = crypto_.token_digest(token);
  auto caller = context_.services.accounts.authenticate_digest(digest);
  if (!caller) {
    respond(caller.error().is(core::ErrorCode::kUnauthenticated)
                ? error_response(401, "Invalid API token")
                : error_response(caller.error()));
    return;
  }
  // A cookie rides along on requests other sites make: only our own pages may use it (their
  // Origin), and only they know the CSRF token.
  if (from_cookie) {
    const std::string_view origin = request.header("origin");
    if (!origin.empty() && origin != own_origin_) {
      respond(error_response(403, "Requests from another origin may not use the session"));
      return;
    }
    if (!is_safe_method(request.method) &&
        !context_.services.sessions.csrf_matches(digest, request.header("x-csrf-token"))) {
      respond(error_response(403, "The X-CSRF-Token header is missing or wrong"));
      return;
    }
  }
  remember_token(digest);
  // Counted per token after authentication, so made-up tokens cannot grow the limiter's memory.
  auto decision = rate_limiter_.hit(digest, clock_.now_unix());
  edge::Responder answer = with_rate_headers(respond, decision);
  if (!decision.allowed) {
    answer(error_response(429, "Rate limit exceeded"));
    return;
  }
  handle(*caller, digest, answer);
}

edge::AsyncHandler ChatworkApi::authenticated(AuthedHandler handler) {
  return [this, handler](edge::HttpRequest& request, const edge::Responder& respond,
                         const edge::BlockingRunner&) {
    guard(request, respond,
          [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
            answer(handler(context_, caller, request));
          });
  };
}

void ChatworkApi::unmatched(edge::HttpRequest& request, const edge::Responder& respond, int status,
                            std::string_view message) {
  guard(request, respond, [&](core::AccountId, const std::string&, const edge::Responder& answer) {
    answer(error_response(status, message));
  });
}

void ChatworkApi::post_message_inline(edge::HttpRequest& request, const edge::Responder& respond,
                                      const edge::BlockingRunner& run_blocking) {
  auto ordinary_path = [&] {
    run_blocking([this, &request, respond, run_blocking] {
      post_message_blocking_(request, respond, run_blocking);
    });
  };
  // Only a token that authenticated before takes this path: a made-up one never reaches the
  // writer, and the body is parsed only for a known sender.
  std::string_view token = request_token(request);
  if (token.empty() || token.size() > kMaxTokenBytes) {
    ordinary_path();
    return;
  }
  std::string digest = crypto_.token_digest(token);
  if (!is_known_token(digest)) {
    ordinary_path();
    return;
  }
  auto room_id = path_id(request, "room_id");
  auto params = RequestParams::from(request);
  std::optional<std::string> body;
  bool self_unread = false;
  bool parsed = room_id.has_value() && params.has_value();
  if (parsed) {
    body = params->optional_text("body");
    auto flag = params->flag("self_unread", false);
    parsed = body.has_value() && flag.has_value();
    self_unread = parsed && *flag;
  }
  if (!parsed) {
    ordinary_path();  // its errors, in their usual order
    return;
  }
  auto decision = rate_limiter_.hit(digest, clock_.now_unix());
  edge::Responder answer = with_rate_headers(respond, decision);
  if (!decision.allowed) {
    answer(error_response(429, "Rate limit exceeded"));
    return;
  }
  context_.services.messages.post_message_as(
      digest, core::RoomId(*room_id), std::move(*body), self_unread,
      [this, digest, respond, answer](core::Result<core::MessageId> posted) {
        if (posted) {
          answer(message_id_response(*posted));
        } else if (posted.error().is(core::ErrorCode::kUnauthenticated)) {
          forget_token(digest);  // revoked since it was last seen
          respond(error_response(401, "Invalid API token"));
        } else {
          answer(error_response(posted.error()));
        }
      });
}

// The one table of the /v2 surface. Literal segments come before {id} segments of the same
// shape (messages/read before messages/{message_id}).
void ChatworkApi::add_routes(edge::Router& router) {
  struct Route {
    const char* method;
    const char* path;
    AuthedHandler handler;
  };

  static constexpr auto kRoutes = std::to_array<Route>({
      {"GET", "/v2/me", get_me},
      {"GET", "/v2/my/status", get_my_status},
      {"GET", "/v2/my/tasks", get_my_tasks},
      {"GET", "/v2/contacts", get_contacts},
      {"GET", "/v2/incoming_requests", get_incoming_requests},
      {"PUT", "/v2/incoming_requests/{request_id}", put_incoming_request},
      {"DELETE", "/v2/incoming_requests/{request_id}", delete_incoming_request},
      {"GET", "/v2/rooms", get_rooms},
      {"POST", "/v2/rooms", post_rooms},
      {"GET", "/v2/rooms/{room_id}", get_room},
      {"PUT", "/v2/rooms/{room_id}", put_room},
      {"DELETE", "/v2/rooms/{room_id}", delete_room},
      {"GET", "/v2/rooms/{room_id}/members", get_room_members},
      {"PUT", "/v2/rooms/{room_id}/members", put_room_members},
      {"GET", "/v2/rooms/{room_id}/messages", get_room_messages},
      {"PUT", "/v2/rooms/{room_id}/messages/read", put_room_messages_read},
      {"PUT", "/v2/rooms/{room_id}/messages/unread", put_room_messages_unread},
      {"GET", "/v2/rooms/{room_id}/messages/{message_id}", get_room_message},
      {"PUT", "/v2/rooms/{room_id}/messages/{message_id}", put_room_message},
      {"DELETE", "/v2/rooms/{room_id}/messages/{message_id}", delete_room_message},
      {"GET", "/v2/rooms/{room_id}/tasks", get_room_tasks},
      {"POST", "/v2/rooms/{room_id}/tasks", post_room_tasks},
      {"GET", "/v2/rooms/{room_id}/tasks/{task_id}", get_room_task},
      {"PUT", "/v2/rooms/{room_id}/tasks/{task_id}/status", put_room_task_status},
      {"GET", "/v2/rooms/{room_id}/files", get_room_files},
      {"POST", "/v2/rooms/{room_id}/files", post_room_file},
      {"GET", "/v2/rooms/{room_id}/files/{file_id}", get_room_file},
      {"GET", "/v2/rooms/{room_id}/link", get_room_link},
      {"POST", "/v2/rooms/{room_id}/link", post_room_link},
      {"PUT", "/v2/rooms/{room_id}/link", put_room_link},
      {"DELETE", "/v2/rooms/{room_id}/link", delete_room_link},
  });
  for (const Route& route : kRoutes) {
    router.add_async(route.method, route.path, authenticated(route.handler));
  }
  post_message_blocking_ = authenticated(post_room_message);
  router.add_async(
      "POST", "/v2/rooms/{room_id}/messages",
      [this](edge::HttpRequest& request, const edge::Responder& respond,
             const edge::BlockingRunner& run_blocking) {
        post_message_inline(request, respond, run_blocking);
      },
      /*blocking=*/false);
  router.add("GET", "/files/{file_id}/download",
             [this](edge::HttpRequest& request) { return get_file_download(context_, request); });
}

}  // namespace kaiwa::api::chatwork
