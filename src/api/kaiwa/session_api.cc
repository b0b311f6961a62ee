#include "api/kaiwa/session_api.h"

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/handler_support.h"
#include "api/chatwork/json_codec.h"
#include "api/chatwork/request_params.h"

namespace kaiwa::api::kaiwa {
namespace {

std::string session_json(core::AccountId account, std::string_view csrf_token,
                         std::int64_t expires_at, std::int64_t max_upload_bytes) {
  chatwork::Json json;
  chatwork::JsonWriter& w = json.writer();
  w.StartObject();
  chatwork::write_int(w, "account_id", account.value);
  chatwork::write_string(w, "csrf_token", csrf_token);
  if (expires_at > 0) {
    chatwork::write_int(w, "expires_at", expires_at);
  }
  chatwork::write_int(w, "max_upload_bytes", max_upload_bytes);
  w.EndObject();
  return json.str();
}

edge::HttpResponse no_content() {
  edge::HttpResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

}  // namespace

void SessionApi::add_routes(edge::Router& router) {
  router.add("POST", "/kaiwa/v1/session",
             [this](edge::HttpRequest& request) { return sign_in(request); });
  router.add_async("GET", "/kaiwa/v1/session",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { describe_session(request, respond); });
  router.add_async("DELETE", "/kaiwa/v1/session",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { sign_out(request, respond); });
  router.add_async("PUT", "/kaiwa/v1/me/password",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { change_password(request, respond); });
}

std::string SessionApi::cookie(std::string_view value, std::int64_t max_age_seconds) const {
  // Strict: no other site's page, link or WebSocket ever carries it.
  std::string cookie(chatwork::kSessionCookie);
  cookie += "=";
  cookie += value;
  cookie += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
  if (secure_cookie_) {
    cookie += "; Secure";
  }
  return cookie;
}

edge::HttpResponse SessionApi::sign_in(edge::HttpRequest& request) {
  auto params = chatwork::RequestParams::from(request);
  if (!params) {
    return chatwork::kaiwa_error_response(params.error());
  }
  auto signed_in =
      sessions_.sign_in(params->optional_text("email").value_or(""),
                        params->optional_text("password").value_or(""), request.remote_address);
  if (!signed_in) {
    return chatwork::kaiwa_error_response(signed_in.error());
  }
  edge::HttpResponse response = chatwork::json_response(
      session_json(signed_in->account, sessions_.csrf_token(signed_in->token_digest),
                   signed_in->expires_at, max_upload_bytes_));
  response.set_header("Set-Cookie", cookie(signed_in->token, app::SessionService::kSessionSeconds));
  response.set_header("Cache-Control", "no-store");
  return response;
}

void SessionApi::describe_session(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(
      request, respond,
      [&](core::AccountId caller, const std::string& digest, const edge::Responder& answer) {
        edge::HttpResponse response = chatwork::json_response(
            session_json(caller, sessions_.csrf_token(digest), 0, max_upload_bytes_));
        response.set_header("Cache-Control", "no-store");
        answer(std::move(response));
      });
}

void SessionApi::sign_out(edge::HttpRequest& request, const edge::Responder& respond) {
  // Only a cookie session signs out here: an API token is revoked by its owner's admin.
  if (!chatwork::request_token(request).empty() || chatwork::session_cookie(request).empty()) {
    respond(chatwork::kaiwa_error_response(
        core::Error::invalid_argument("Not signed in with a session cookie")));
    return;
  }
  chatwork_.guard(request, respond,
                  [&](core::AccountId, const std::string& digest, const edge::Responder& answer) {
                    if (auto signed_out = sessions_.sign_out(digest); !signed_out) {
                      answer(chatwork::kaiwa_error_response(signed_out.error()));
                      return;
                    }
                    edge::HttpResponse response = no_content();
                    response.set_header("Set-Cookie", cookie("", 0));
                    answer(std::move(response));
                  });
}

void SessionApi::change_password(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(
      request, respond,
      [&](core::AccountId caller, const std::string& digest, const edge::Responder& answer) {
        auto params = chatwork::RequestParams::from(request);
        if (!params) {
          answer(chatwork::kaiwa_error_response(params.error()));
          return;
        }
        auto changed = sessions_.change_password(
            caller, digest, params->optional_text("current_password").value_or(""),
            params->optional_text("new_password").value_or(""));
        answer(changed ? no_content() : chatwork::kaiwa_error_response(changed.error()));
      });
}

}  // namespace kaiwa::api::kaiwa
