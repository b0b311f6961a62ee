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
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() > kBearer.size() && authorization.substr(0, kBearer.size()) == kBearer) {
    return authorization.substr(kBearer.size());
  }
  return {};
}

ChatworkApi::ChatworkApi(ChatworkServices services, ports::Crypto& crypto, ports::Clock& clock,
                         const ChatworkApiOptions& options)
    : context_{services, CodecContext{options.public_url}, options.empty_list_no_content},
      crypto_(crypto),
      clock_(clock),
      rate_limiter_(options.rate_limit, options.rate_window) {}

template <typename Handle>
void ChatworkApi::guarded(edge::HttpRequest& request, const edge::Responder& respond,
                          Handle handle) {
  std::string_view token = request_token(request);
  auto caller = context_.services.accounts.authenticate(token);
  if (!caller) {
    respond(error_response(401, "Invalid API token"));
    return;
  }
  // Counted per token after authentication, so made-up tokens cannot grow the limiter's memory.
  auto decision = rate_limiter_.hit(crypto_.token_digest(token), clock_.now_unix());
  edge::Responder with_headers = [respond, decision](edge::HttpResponse response) {
    response.set_header("X-RateLimit-Limit", std::to_string(decision.limit));
    response.set_header("X-RateLimit-Remaining", std::to_string(decision.remaining));
    response.set_header("X-RateLimit-Reset", std::to_string(decision.reset_unix));
    respond(std::move(response));
  };
  if (!decision.allowed) {
    with_headers(error_response(429, "Rate limit exceeded"));
    return;
  }
  handle(*caller, std::move(with_headers));
}

edge::AsyncHandler ChatworkApi::authenticated(AuthedHandler handler) {
  return [this, handler](edge::HttpRequest& request, const edge::Responder& respond,
                         const edge::BlockingRunner&) {
    guarded(request, respond, [&](core::AccountId caller, const edge::Responder& answer) {
      answer(handler(context_, caller, request));
    });
  };
}

void ChatworkApi::unmatched(edge::HttpRequest& request, const edge::Responder& respond, int status,
                            std::string_view message) {
  guarded(request, respond, [&](core::AccountId, const edge::Responder& answer) {
    answer(error_response(status, message));
  });
}

void ChatworkApi::post_message_inline(edge::HttpRequest& request, const edge::Responder& respond,
                                      const edge::BlockingRunner& run_blocking) {
  std::string_view token = request_token(request);
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
  if (token.empty() || !parsed) {
    run_blocking([this, &request, respond, run_blocking] {
      post_message_blocking_(request, respond, run_blocking);
    });
    return;
  }
  std::string digest = crypto_.token_digest(token);
  auto decision = rate_limiter_.hit(digest, clock_.now_unix());
  edge::Responder with_headers = [respond, decision](edge::HttpResponse response) {
    response.set_header("X-RateLimit-Limit", std::to_string(decision.limit));
    response.set_header("X-RateLimit-Remaining", std::to_string(decision.remaining));
    response.set_header("X-RateLimit-Reset", std::to_string(decision.reset_unix));
    respond(std::move(response));
  };
  if (!decision.allowed) {
    with_headers(error_response(429, "Rate limit exceeded"));
    return;
  }
  context_.services.messages.post_message_as(
      digest, core::RoomId(*room_id), std::move(*body), self_unread,
      [this, digest, respond, with_headers](core::Result<core::MessageId> posted) {
        if (posted) {
          with_headers(message_id_response(*posted));
        } else if (posted.error().is(core::ErrorCode::kUnauthenticated)) {
          // Counted before it could be checked: a made-up token leaves nothing behind.
          rate_limiter_.forget(digest);
          respond(error_response(posted.error()));
        } else {
          with_headers(error_response(posted.error()));
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
      // Kaiwa's extension (docs/api/kaiwa-openapi.yaml): contact requests must come from somewhere.
      {"POST", "/kaiwa/v1/contact_requests", post_contact_request},
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
