// /rooms, /rooms/{room_id}, its members and its invitation link.
#include "api/chatwork/handlers.h"

namespace kaiwa::api::chatwork {
namespace {

core::Result<app::MemberLists> member_lists(const RequestParams& params) {
  app::MemberLists lists;
  KAIWA_ASSIGN_OR_RETURN(lists.admin_ids, params.account_ids("members_admin_ids"));
  KAIWA_ASSIGN_OR_RETURN(lists.member_ids, params.account_ids("members_member_ids"));
  KAIWA_ASSIGN_OR_RETURN(lists.readonly_ids, params.account_ids("members_readonly_ids"));
  if (lists.admin_ids.empty()) {
    // The body is Chatwork's; the reason travels only in the X-Kaiwa-Error-Code header.
    return core::Error::invalid_argument("Parameter 'members_admin_ids' is required")
        .because(core::reason::kLastAdmin);
  }
  return lists;
}

core::Result<app::LinkChanges> link_changes(const RequestParams& params) {
  app::LinkChanges changes;
  changes.code = params.optional_text("code");
  changes.description = params.optional_text("description");
  KAIWA_ASSIGN_OR_RETURN(changes.need_acceptance, params.optional_flag("need_acceptance"));
  return changes;
}

edge::HttpResponse link_response(HandlerContext& ctx, const std::optional<core::RoomLink>& link) {
  Json json;
  JsonWriter& w = json.writer();
  w.StartObject();
  write_bool(w, "public", link.has_value());
  if (link) {
    write_string(w, "url", ctx.services.rooms.link_url(*link));
    write_bool(w, "need_acceptance", link->need_acceptance);
    write_string(w, "description", link->description);
  }
  w.EndObject();
  return json_response(json.str());
}

// POST and PUT /link take the same parameters and answer the same way; only the use case differs.
using LinkWrite = core::Result<core::RoomLink> (app::RoomService::*)(core::AccountId, core::RoomId,
                                                                     const app::LinkChanges&);

edge::HttpResponse write_link(HandlerContext& ctx, core::AccountId caller,
                              edge::HttpRequest& request, LinkWrite write) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(app::LinkChanges changes, link_changes(params));
  KAIWA_ASSIGN_OR_RESPOND(core::RoomLink link,
                          (ctx.services.rooms.*write)(caller, core::RoomId(room_id), changes));
  return link_response(ctx, link);
}

void write_id_array(JsonWriter& w, std::string_view key, const std::vector<core::AccountId>& ids) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartArray();
  for (core::AccountId id : ids) {
    w.Int64(id.value);
  }
  w.EndArray();
}

}  // namespace

edge::HttpResponse get_rooms(HandlerContext& ctx, core::AccountId caller, edge::HttpRequest&) {
  KAIWA_ASSIGN_OR_RESPOND(auto rooms, ctx.services.rooms.list_rooms(caller));
  return json_list(
      rooms,
      [&](JsonWriter& w, const core::RoomView& view) { write_room(w, ctx.codec, view, false); },
      false);
}

edge::HttpResponse post_rooms(HandlerContext& ctx, core::AccountId caller,
                              edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  app::NewRoom room;
  KAIWA_ASSIGN_OR_RESPOND(room.name, params.required_text("name"));
  room.description = params.optional_text("description").value_or("");
  room.icon_preset = params.optional_text("icon_preset").value_or("group");
  KAIWA_ASSIGN_OR_RESPOND(room.members, member_lists(params));
  KAIWA_ASSIGN_OR_RESPOND(room.create_link, params.flag("link", false));
  room.link_code = params.optional_text("link_code");
  KAIWA_ASSIGN_OR_RESPOND(room.link_need_acceptance, params.flag("link_need_acceptance", true));
  KAIWA_ASSIGN_OR_RESPOND(core::RoomId id, ctx.services.rooms.create_room(caller, room));
  return id_response("room_id", id.value);
}

edge::HttpResponse get_room(HandlerContext& ctx, core::AccountId caller,
                            edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::RoomView view,
                          ctx.services.rooms.get_room(caller, core::RoomId(room_id)));
  Json json;
  write_room(json.writer(), ctx.codec, view, true);
  return json_response(json.str());
}

edge::HttpResponse put_room(HandlerContext& ctx, core::AccountId caller,
                            edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  app::RoomChanges changes{params.optional_text("name"), params.optional_text("description"),
                           params.optional_text("icon_preset")};
  KAIWA_RESPOND_IF_ERROR(ctx.services.rooms.update_room(caller, core::RoomId(room_id), changes));
  return id_response("room_id", room_id);
}

edge::HttpResponse delete_room(HandlerContext& ctx, core::AccountId caller,
                               edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(std::string action, params.required_text("action_type"));
  app::LeaveAction leave_action = app::LeaveAction::kLeave;
  if (action == "delete") {
    leave_action = app::LeaveAction::kDelete;
  } else if (action != "leave") {
    return error_response(400, "Parameter 'action_type' must be leave or delete");
  }
  KAIWA_RESPOND_IF_ERROR(
      ctx.services.rooms.leave_or_delete(caller, core::RoomId(room_id), leave_action));
  return no_content();
}

edge::HttpResponse get_room_members(HandlerContext& ctx, core::AccountId caller,
                                    edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto members,
                          ctx.services.rooms.list_members(caller, core::RoomId(room_id)));
  return json_list(members, write_member, false);
}

edge::HttpResponse put_room_members(HandlerContext& ctx, core::AccountId caller,
                                    edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(app::MemberLists lists, member_lists(params));
  KAIWA_ASSIGN_OR_RESPOND(app::MemberLists result,
                          ctx.services.rooms.replace_members(caller, core::RoomId(room_id), lists));
  Json json;
  json.writer().StartObject();
  write_id_array(json.writer(), "admin", result.admin_ids);
  write_id_array(json.writer(), "member", result.member_ids);
  write_id_array(json.writer(), "readonly", result.readonly_ids);
  json.writer().EndObject();
  return json_response(json.str());
}

edge::HttpResponse get_room_link(HandlerContext& ctx, core::AccountId caller,
                                 edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto link, ctx.services.rooms.get_link(caller, core::RoomId(room_id)));
  return link_response(ctx, link);
}

edge::HttpResponse post_room_link(HandlerContext& ctx, core::AccountId caller,
                                  edge::HttpRequest& request) {
  return write_link(ctx, caller, request, &app::RoomService::create_link);
}

edge::HttpResponse put_room_link(HandlerContext& ctx, core::AccountId caller,
                                 edge::HttpRequest& request) {
  return write_link(ctx, caller, request, &app::RoomService::update_link);
}

edge::HttpResponse delete_room_link(HandlerContext& ctx, core::AccountId caller,
                                    edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_RESPOND_IF_ERROR(ctx.services.rooms.delete_link(caller, core::RoomId(room_id)));
  return link_response(ctx, std::nullopt);
}

}  // namespace kaiwa::api::chatwork
