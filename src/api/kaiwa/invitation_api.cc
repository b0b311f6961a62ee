#include "api/kaiwa/invitation_api.h"

#include <functional>
#include <utility>

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/handler_support.h"
#include "api/chatwork/json_codec.h"
#include "api/chatwork/request_params.h"

namespace kaiwa::api::kaiwa {
namespace {

using chatwork::JsonWriter;

void write_join_request(JsonWriter& w, const core::JoinRequest& request) {
  w.StartObject();
  chatwork::write_int(w, "request_id", request.id.value);
  chatwork::write_int(w, "room_id", request.room_id.value);
  w.Key("account");
  w.StartObject();
  chatwork::write_int(w, "account_id", request.account.id.value);
  chatwork::write_string(w, "name", request.account.name);
  chatwork::write_string(w, "avatar_image_url", request.account.avatar_image_url);
  chatwork::write_string(w, "chatwork_id", request.account.chatwork_id);
  chatwork::write_int(w, "organization_id", request.account.organization_id.value);
  chatwork::write_string(w, "organization_name", request.account.organization_name);
  chatwork::write_string(w, "department", request.account.department);
  w.EndObject();
  chatwork::write_int(w, "requested_at", request.requested_at);
  w.EndObject();
}

std::string_view status_name(app::JoinStatus status) {
  switch (status) {
    case app::JoinStatus::kJoined:
      return "joined";
    case app::JoinStatus::kAlreadyMember:
      return "already_member";
    case app::JoinStatus::kRequested:
      return "requested";
  }
  return "joined";
}

core::Result<core::JoinRequestId> request_id_param(const edge::HttpRequest& request) {
  auto id = chatwork::path_id(request, "request_id");
  if (!id) {
    return id.error();
  }
  return core::JoinRequestId(*id);
}

}  // namespace

void InvitationApi::add_routes(edge::Router& router) {
  using Method = edge::HttpResponse (InvitationApi::*)(core::AccountId, edge::HttpRequest&);
  auto guarded = [this](Method method) {
    return [this, method](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) {
      chatwork_.guard(
          request, respond,
          [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
            answer((this->*method)(caller, request));
          });
    };
  };
  router.add_async("GET", "/kaiwa/v1/invitations/{code}", guarded(&InvitationApi::get_invitation));
  router.add_async("POST", "/kaiwa/v1/invitations/{code}/join", guarded(&InvitationApi::join));
  router.add_async("GET", "/kaiwa/v1/rooms/{room_id}/join_requests",
                   guarded(&InvitationApi::list_requests));
  router.add_async("PUT", "/kaiwa/v1/rooms/{room_id}/join_requests/{request_id}",
                   guarded(&InvitationApi::approve_request));
  router.add_async("DELETE", "/kaiwa/v1/rooms/{room_id}/join_requests/{request_id}",
                   guarded(&InvitationApi::reject_request));
}

edge::HttpResponse InvitationApi::get_invitation(core::AccountId caller,
                                                 edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(app::InvitationPreview preview,
                          invitations_.preview(caller, request.path_param("code")));
  const chatwork::CodecContext& codec = chatwork_.context().codec;
  core::Room room;
  room.type = core::RoomType::kGroup;
  room.icon_preset = preview.icon_preset;
  chatwork::Json json;
  JsonWriter& w = json.writer();
  w.StartObject();
  chatwork::write_string(w, "code", preview.code);
  chatwork::write_string(w, "name", preview.room_name);
  chatwork::write_string(w, "icon_path", codec.icon_path(room));
  chatwork::write_string(w, "description", preview.description);
  chatwork::write_int(w, "member_count", preview.member_count);
  chatwork::write_bool(w, "need_acceptance", preview.need_acceptance);
  chatwork::write_bool(w, "is_member", preview.member_of.has_value());
  if (preview.member_of) {
    chatwork::write_int(w, "room_id", preview.member_of->value);
  }
  chatwork::write_bool(w, "request_pending", preview.pending_request.has_value());
  if (preview.pending_request) {
    chatwork::write_int(w, "request_id", preview.pending_request->value);
  }
  w.EndObject();
  edge::HttpResponse response = chatwork::json_response(json.str());
  response.set_header("Cache-Control", "no-store");
  return response;
}

edge::HttpResponse InvitationApi::join(core::AccountId caller, edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(app::JoinOutcome outcome,
                          invitations_.join(caller, request.path_param("code")));
  chatwork::Json json;
  JsonWriter& w = json.writer();
  w.StartObject();
  chatwork::write_string(w, "status", status_name(outcome.status));
  if (outcome.request) {
    w.Key("request");
    write_join_request(w, *outcome.request);
  } else {
    chatwork::write_int(w, "room_id", outcome.room_id.value);
  }
  w.EndObject();
  return chatwork::json_response(json.str(), outcome.request ? 202 : 200);
}

edge::HttpResponse InvitationApi::list_requests(core::AccountId caller,
                                                edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, chatwork::path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto requests, invitations_.list_requests(caller, core::RoomId(room_id)));
  chatwork::Json json;
  JsonWriter& w = json.writer();
  w.StartObject();
  w.Key("join_requests");
  w.StartArray();
  for (const core::JoinRequest& join_request : requests) {
    write_join_request(w, join_request);
  }
  w.EndArray();
  w.EndObject();
  edge::HttpResponse response = chatwork::json_response(json.str());
  response.set_header("Cache-Control", "no-store");
  return response;
}

edge::HttpResponse InvitationApi::approve_request(core::AccountId caller,
                                                  edge::HttpRequest& request) {
  return answer_request(caller, request, true);
}

edge::HttpResponse InvitationApi::reject_request(core::AccountId caller,
                                                 edge::HttpRequest& request) {
  return answer_request(caller, request, false);
}

edge::HttpResponse InvitationApi::answer_request(core::AccountId caller, edge::HttpRequest& request,
                                                 bool approve) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, chatwork::path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::JoinRequestId id, request_id_param(request));
  auto answered = approve ? invitations_.approve(caller, core::RoomId(room_id), id)
                          : invitations_.reject(caller, core::RoomId(room_id), id);
  if (!answered) {
    return chatwork::error_response(answered.error());
  }
  chatwork::Json json;
  JsonWriter& w = json.writer();
  w.StartObject();
  chatwork::write_string(w, "status", approve ? "approved" : "rejected");
  w.Key("request");
  write_join_request(w, *answered);
  w.EndObject();
  return chatwork::json_response(json.str());
}

}  // namespace kaiwa::api::kaiwa
