#include "api/chatwork/chatwork_api.h"

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
                         ChatworkApiOptions options)
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
  return [this, handler](edge::HttpRequest& request, const edge::Responder& respond) {
    guarded(request, respond, [&](core::AccountId caller, const edge::Responder& answer) {
      answer(handler(context_, caller, request));
    });
  };
}

edge::AsyncHandler ChatworkApi::authenticated(AsyncAuthedHandler handler) {
  return [this, handler](edge::HttpRequest& request, const edge::Responder& respond) {
    guarded(request, respond, [&](core::AccountId caller, edge::Responder answer) {
      handler(context_, caller, request, std::move(answer));
    });
  };
}

void ChatworkApi::unmatched(edge::HttpRequest& request, const edge::Responder& respond, int status,
                            std::string_view message) {
  guarded(request, respond, [&](core::AccountId, const edge::Responder& answer) {
    answer(error_response(status, message));
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

  static constexpr Route kRoutes[] = {
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
  };
  for (const Route& route : kRoutes) {
    router.add_async(route.method, route.path, authenticated(route.handler));
  }
  // The hot write path answers from the commit, without parking a worker thread per request.
  router.add_async("POST", "/v2/rooms/{room_id}/messages", authenticated(post_room_message_async));
  router.add("GET", "/files/{file_id}/download",
             [this](edge::HttpRequest& request) { return get_file_download(context_, request); });
}

}  // namespace kaiwa::api::chatwork
