// /rooms/{room_id}/messages and its read, unread and by-id operations.
#include "api/chatwork/handlers.h"

namespace kaiwa::api::chatwork {
namespace {

edge::HttpResponse counts_response(const ports::UnreadCounts& counts) {
  Json json;
  json.writer().StartObject();
  write_int(json.writer(), "unread_num", counts.unread_num);
  write_int(json.writer(), "mention_num", counts.mention_num);
  json.writer().EndObject();
  return json_response(json.str());
}

core::Result<core::MessageId> message_id_from(std::string_view text, std::string_view name) {
  auto id = parse_positive_id(text);
  if (!id) {
    return core::Error::invalid_argument("Invalid " + std::string(name));
  }
  return core::MessageId(*id);
}

}  // namespace

edge::HttpResponse get_room_messages(HandlerContext& ctx, core::AccountId caller,
                                     edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(bool force, params.flag("force", false));
  KAIWA_ASSIGN_OR_RESPOND(
      auto messages, ctx.services.messages.list_messages(caller, core::RoomId(room_id), force));
  // An empty diff is 204 in Chatwork's own documentation, whatever the list switch says.
  return json_list(messages, write_message, true);
}

edge::HttpResponse post_room_message(HandlerContext& ctx, core::AccountId caller,
                                     edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(std::string body, params.required_text("body"));
  KAIWA_ASSIGN_OR_RESPOND(bool self_unread, params.flag("self_unread", false));
  KAIWA_ASSIGN_OR_RESPOND(
      core::MessageId id,
      ctx.services.messages.post_message(caller, core::RoomId(room_id), body, self_unread));
  return message_id_response(id);
}

edge::HttpResponse put_room_messages_read(HandlerContext& ctx, core::AccountId caller,
                                          edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  std::optional<core::MessageId> up_to;
  if (auto text = params.optional_text("message_id"); text && !text->empty()) {
    KAIWA_ASSIGN_OR_RESPOND(up_to, message_id_from(*text, "message_id"));
  }
  KAIWA_ASSIGN_OR_RESPOND(auto counts,
                          ctx.services.messages.mark_read(caller, core::RoomId(room_id), up_to));
  return counts_response(counts);
}

edge::HttpResponse put_room_messages_unread(HandlerContext& ctx, core::AccountId caller,
                                            edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(std::string text, params.required_text("message_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::MessageId from, message_id_from(text, "message_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto counts,
                          ctx.services.messages.mark_unread(caller, core::RoomId(room_id), from));
  return counts_response(counts);
}

edge::HttpResponse get_room_message(HandlerContext& ctx, core::AccountId caller,
                                    edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::MessageId id,
                          message_id_from(request.path_param("message_id"), "message_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::Message message,
                          ctx.services.messages.get_message(caller, core::RoomId(room_id), id));
  Json json;
  write_message(json.writer(), message);
  return json_response(json.str());
}

edge::HttpResponse put_room_message(HandlerContext& ctx, core::AccountId caller,
                                    edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::MessageId id,
                          message_id_from(request.path_param("message_id"), "message_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(std::string body, params.required_text("body"));
  KAIWA_RESPOND_IF_ERROR(
      ctx.services.messages.edit_message(caller, core::RoomId(room_id), id, body));
  return message_id_response(id);
}

edge::HttpResponse delete_room_message(HandlerContext& ctx, core::AccountId caller,
                                       edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::MessageId id,
                          message_id_from(request.path_param("message_id"), "message_id"));
  KAIWA_RESPOND_IF_ERROR(ctx.services.messages.delete_message(caller, core::RoomId(room_id), id));
  return message_id_response(id);
}

}  // namespace kaiwa::api::chatwork
