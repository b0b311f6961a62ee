// Joining a group chat by its invitation link (docs/api/kaiwa-openapi.yaml):
// GET /kaiwa/v1/invitations/{code}, POST /kaiwa/v1/invitations/{code}/join, and the admins' join
// requests at /kaiwa/v1/rooms/{room_id}/join_requests[/{request_id}].
#pragma once

#include "api/chatwork/chatwork_api.h"
#include "app/invitation_service.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Thread-safe once routes are added; must outlive the server's connections.
class InvitationApi {
 public:
  InvitationApi(chatwork::ChatworkApi& chatwork, app::InvitationService& invitations)
      : chatwork_(chatwork), invitations_(invitations) {}

  void add_routes(edge::Router& router);

 private:
  edge::HttpResponse get_invitation(core::AccountId caller, edge::HttpRequest& request);
  edge::HttpResponse join(core::AccountId caller, edge::HttpRequest& request);
  edge::HttpResponse list_requests(core::AccountId caller, edge::HttpRequest& request);
  edge::HttpResponse approve_request(core::AccountId caller, edge::HttpRequest& request);
  edge::HttpResponse reject_request(core::AccountId caller, edge::HttpRequest& request);
  edge::HttpResponse answer_request(core::AccountId caller, edge::HttpRequest& request,
                                    bool approve);

  chatwork::ChatworkApi& chatwork_;
  app::InvitationService& invitations_;
};

}  // namespace kaiwa::api::kaiwa
