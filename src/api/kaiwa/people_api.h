// People beyond /v2's contacts (docs/api/kaiwa-openapi.yaml): POST /kaiwa/v1/contact_requests
// (to an account id or an email) and GET /kaiwa/v1/colleagues (the caller's organization).
#pragma once

#include "api/chatwork/chatwork_api.h"
#include "app/colleague_service.h"
#include "app/contact_service.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Thread-safe once routes are added; must outlive the server's connections.
class PeopleApi {
 public:
  PeopleApi(chatwork::ChatworkApi& chatwork, app::ContactService& contacts,
            app::ColleagueService& colleagues)
      : chatwork_(chatwork), contacts_(contacts), colleagues_(colleagues) {}

  void add_routes(edge::Router& router);

 private:
  edge::HttpResponse post_contact_request(core::AccountId caller, edge::HttpRequest& request);
  edge::HttpResponse get_colleagues(core::AccountId caller, edge::HttpRequest& request);

  chatwork::ChatworkApi& chatwork_;
  app::ContactService& contacts_;
  app::ColleagueService& colleagues_;
};

}  // namespace kaiwa::api::kaiwa
