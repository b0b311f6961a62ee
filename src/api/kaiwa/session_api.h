// Browser sign-in (docs/api/kaiwa-openapi.yaml): POST/GET/DELETE /kaiwa/v1/session and
// PUT /kaiwa/v1/me/password. The session travels in an HttpOnly cookie that ChatworkApi's guard
// accepts on every /v2 and /kaiwa/v1 route, with the CSRF token on state-changing calls.
#pragma once

#include <cstdint>
#include <string>

#include "api/chatwork/chatwork_api.h"
#include "app/session_service.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Thread-safe once routes are added; must outlive the server's connections.
class SessionApi {
 public:
  // secure_cookie: the server is reached over TLS (its public URL is https), so the cookie
  // must never travel in clear. max_upload_bytes: the largest file upload, which the session
  // tells the client so it can refuse a bigger file before sending it.
  SessionApi(chatwork::ChatworkApi& chatwork, app::SessionService& sessions, bool secure_cookie,
             std::int64_t max_upload_bytes)
      : chatwork_(chatwork),
        sessions_(sessions),
        secure_cookie_(secure_cookie),
        max_upload_bytes_(max_upload_bytes) {}

  void add_routes(edge::Router& router);

 private:
  edge::HttpResponse sign_in(edge::HttpRequest& request);
  void describe_session(edge::HttpRequest& request, const edge::Responder& respond);
  void sign_out(edge::HttpRequest& request, const edge::Responder& respond);
  void change_password(edge::HttpRequest& request, const edge::Responder& respond);
  std::string cookie(std::string_view value, std::int64_t max_age_seconds) const;

  chatwork::ChatworkApi& chatwork_;
  app::SessionService& sessions_;
  bool secure_cookie_;
  std::int64_t max_upload_bytes_;
};

}  // namespace kaiwa::api::kaiwa
