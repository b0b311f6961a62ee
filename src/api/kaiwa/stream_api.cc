#include "api/kaiwa/stream_api.h"

#include <atomic>

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/request_params.h"

namespace kaiwa::api::kaiwa {
namespace {

// Ties one WebSocket to the hub: attaches it once the handshake is done, detaches it when the
// connection ends.
class StreamConnection final : public edge::WebSocketListener {
 public:
  StreamConnection(EventHub& hub, app::StreamCredentials credentials,
                   std::optional<std::int64_t> since)
      : hub_(hub), credentials_(std::move(credentials)), since_(since) {}

  void on_open(std::shared_ptr<edge::WebSocketChannel> channel) override {
    id_ = hub_.attach(StreamRequest{std::move(credentials_), since_, std::move(channel)});
  }

  void on_closed() override {
    if (id_ != 0) {
      hub_.detach(id_);
      id_ = 0;
    }
  }

 private:
  EventHub& hub_;
  app::StreamCredentials credentials_;
  std::optional<std::int64_t> since_;
  EventHub::StreamId id_ = 0;  // touched only on the connection's strand
};

edge::HttpResponse accept_stream(EventHub& hub, app::StreamCredentials credentials,
                                 std::optional<std::int64_t> since) {
  edge::HttpResponse response;
  response.status = 101;
  response.content_type.clear();
  response.websocket = std::make_shared<StreamConnection>(hub, std::move(credentials), since);
  return response;
}

// since: the last pos the client saw, a non-negative integer; absent starts at the present.
core::Result<std::optional<std::int64_t>> parse_since(const chatwork::RequestParams& params) {
  KAIWA_ASSIGN_OR_RETURN(auto since, params.optional_int("since"));
  if (since && *since < 0) {
    return core::Error::invalid_argument("since must be a non-negative integer");
  }
  return since;
}

}  // namespace

void StreamApi::add_routes(edge::Router& router) {
  router.add_async("GET", "/kaiwa/v1/stream",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { open_stream(request, respond); });
  router.add_async("POST", "/kaiwa/v1/stream/tickets",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { create_ticket(request, respond); });
}

void StreamApi::open_stream(edge::HttpRequest& request, const edge::Responder& respond) {
  auto params = chatwork::RequestParams::from(request);
  if (!params) {
    respond(chatwork::kaiwa_error_response(params.error()));
    return;
  }
  std::optional<std::string> ticket = params->optional_text("ticket");
  if (ticket) {
    // A ticket was paid for (authenticated and rate-limited) when it was issued.
    auto since = parse_since(*params);
    if (!since) {
      respond(chatwork::kaiwa_error_response(since.error()));
      return;
    }
    auto credentials = stream_service_.redeem_ticket(*ticket);
    if (!credentials) {
      respond(chatwork::kaiwa_error_response(
          core::Error::unauthenticated(credentials.error().message)));
      return;
    }
    respond(accept_stream(hub_, std::move(*credentials), *since));
    return;
  }
  chatwork_.guard(
      request, respond,
      [&](core::AccountId caller, const std::string& digest, const edge::Responder& answer) {
        auto since = parse_since(*params);
        if (!since) {
          answer(chatwork::kaiwa_error_response(since.error()));
          return;
        }
        answer(accept_stream(hub_, app::StreamCredentials{caller, digest}, *since));
      });
}

void StreamApi::create_ticket(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(
      request, respond,
      [&](core::AccountId caller, const std::string& digest, const edge::Responder& answer) {
        app::StreamTicket ticket =
            stream_service_.issue_ticket(app::StreamCredentials{caller, digest});
        std::string body = R"({"ticket":")" + ticket.ticket + R"(","expires_in":)" +
                           std::to_string(ticket.expires_in_seconds) + "}";
        answer(chatwork::json_response(std::move(body)));
      });
}

}  // namespace kaiwa::api::kaiwa
