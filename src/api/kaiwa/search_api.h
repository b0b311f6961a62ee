// GET /kaiwa/v1/search (docs/api/kaiwa-openapi.yaml): full-text search over the caller's rooms.
#pragma once

#include "api/chatwork/chatwork_api.h"
#include "app/search_service.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Thread-safe once routes are added; must outlive the server's connections.
class SearchApi {
 public:
  SearchApi(chatwork::ChatworkApi& chatwork, app::SearchService& search)
      : chatwork_(chatwork), search_(search) {}

  void add_routes(edge::Router& router);

 private:
  void search_messages(edge::HttpRequest& request, const edge::Responder& respond);

  chatwork::ChatworkApi& chatwork_;
  app::SearchService& search_;
};

}  // namespace kaiwa::api::kaiwa
