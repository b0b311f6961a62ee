// The signed-in account's profile (docs/api/kaiwa-openapi.yaml): PUT /kaiwa/v1/me, PUT and
// DELETE /kaiwa/v1/me/avatar, and the public pictures at GET /avatars/{account_id}/{file} that
// avatar_image_url names.
#pragma once

#include "api/chatwork/chatwork_api.h"
#include "app/profile_service.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Thread-safe once routes are added; must outlive the server's connections.
class ProfileApi {
 public:
  ProfileApi(chatwork::ChatworkApi& chatwork, app::ProfileService& profiles)
      : chatwork_(chatwork), profiles_(profiles) {}

  void add_routes(edge::Router& router);

  // Whether a request to method + path may carry an upload-sized body (the picture).
  static bool accepts_upload(std::string_view method, std::string_view path);

 private:
  void update_profile(edge::HttpRequest& request, const edge::Responder& respond);
  void put_avatar(edge::HttpRequest& request, const edge::Responder& respond);
  void delete_avatar(edge::HttpRequest& request, const edge::Responder& respond);
  edge::HttpResponse get_avatar(edge::HttpRequest& request);

  chatwork::ChatworkApi& chatwork_;
  app::ProfileService& profiles_;
};

}  // namespace kaiwa::api::kaiwa
