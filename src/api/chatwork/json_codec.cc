#include "api/chatwork/json_codec.h"

namespace kaiwa::api::chatwork {
namespace {

void key(JsonWriter& w, std::string_view name) {
  w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}

// Fields shared by Contact, Member and IncomingRequest (api notes §3).
void write_person_fields(JsonWriter& w, const core::Account& account) {
  write_int(w, "account_id", account.id.value);
  write_string(w, "name", account.name);
  write_string(w, "chatwork_id", account.chatwork_id);
  write_int(w, "organization_id", account.organization_id.value);
  write_string(w, "organization_name", account.organization_name);
  write_string(w, "department", account.department);
  write_string(w, "avatar_image_url", account.avatar_image_url);
}

void write_task_fields(JsonWriter& w, const core::Task& task) {
  write_int(w, "task_id", task.id.value);
}

void write_task_tail(JsonWriter& w, const core::Task& task) {
  write_account_mini(w, "assigned_by_account", task.assigned_by);
  write_string(w, "message_id", message_id_text(task.message_id));
  write_string(w, "body", task.body);
  write_int(w, "limit_time", task.limit_time);
  write_string(w, "status", core::to_string(task.status));
  write_string(w, "limit_type", core::to_string(task.limit_type));
}

}  // namespace

std::string message_id_text(core::MessageId id) { return std::to_string(id.value); }

void write_string(JsonWriter& w, std::string_view name, std::string_view value) {
  key(w, name);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_int(JsonWriter& w, std::string_view name, std::int64_t value) {
  key(w, name);
  w.Int64(value);
}

void write_bool(JsonWriter& w, std::string_view name, bool value) {
  key(w, name);
  w.Bool(value);
}

std::string CodecContext::icon_path(const core::Room& room) const {
  std::string_view icon = room.type == core::RoomType::kGroup ? std::string_view(room.icon_preset)
                                                              : core::to_string(room.type);
  return public_url + "/icons/" + std::string(icon) + ".png";
}

void write_me(JsonWriter& w, const core::Account& a) {
  w.StartObject();
  write_int(w, "account_id", a.id.value);
  write_int(w, "room_id", a.my_room_id.value);
  write_string(w, "name", a.name);
  write_string(w, "chatwork_id", a.chatwork_id);
  write_int(w, "organization_id", a.organization_id.value);
  write_string(w, "organization_name", a.organization_name);
  write_string(w, "department", a.department);
  write_string(w, "title", a.title);
  write_string(w, "url", a.url);
  write_string(w, "introduction", a.introduction);
  write_string(w, "mail", a.login_mail);
  write_string(w, "tel_organization", a.tel_organization);
  write_string(w, "tel_extension", a.tel_extension);
  write_string(w, "tel_mobile", a.tel_mobile);
  write_string(w, "skype", a.skype);
  write_string(w, "facebook", a.facebook);
  write_string(w, "twitter", a.twitter);
  write_string(w, "avatar_image_url", a.avatar_image_url);
  write_string(w, "login_mail", a.login_mail);
  w.EndObject();
}

void write_account_mini(JsonWriter& w, std::string_view name, const core::Account& account) {
  key(w, name);
  w.StartObject();
  write_int(w, "account_id", account.id.value);
  write_string(w, "name", account.name);
  write_string(w, "avatar_image_url", account.avatar_image_url);
  w.EndObject();
}

void write_contact(JsonWriter& w, const core::Contact& contact) {
  w.StartObject();
  write_person_fields(w, contact.account);
  write_int(w, "room_id", contact.room_id.value);
  w.EndObject();
}

void write_person(JsonWriter& w, const core::Account& account) {
  w.StartObject();
  write_person_fields(w, account);
  w.EndObject();
}

void write_member(JsonWriter& w, const core::Member& member) {
  w.StartObject();
  write_person_fields(w, member.account);
  write_string(w, "role", core::to_string(member.role));
  w.EndObject();
}

void write_incoming_request(JsonWriter& w, const core::ContactRequest& request) {
  w.StartObject();
  write_int(w, "request_id", request.id.value);
  write_string(w, "message", request.message);
  write_person_fields(w, request.from);
  w.EndObject();
}

void write_room(JsonWriter& w, const CodecContext& ctx, const core::RoomView& view,
                bool with_description) {
  const core::Room& room = view.room;
  w.StartObject();
  write_int(w, "room_id", room.id.value);
  write_string(w, "name", room.name);
  write_string(w, "type", core::to_string(room.type));
  write_string(w, "role", core::to_string(view.role));
  write_bool(w, "sticky", view.sticky);
  write_int(w, "unread_num", view.unread_num);
  write_int(w, "mention_num", view.mention_num);
  write_int(w, "mytask_num", view.mytask_num);
  write_int(w, "message_num", room.message_num);
  write_int(w, "file_num", room.file_num);
  write_int(w, "task_num", room.task_num);
  write_string(w, "icon_path", ctx.icon_path(room));
  write_int(w, "last_update_time", room.last_update_time);
  if (with_description) {
    write_string(w, "description", room.description);
  }
  w.EndObject();
}

void write_message(JsonWriter& w, const core::Message& message) {
  w.StartObject();
  write_string(w, "message_id", message_id_text(message.id));
  write_account_mini(w, "account", message.account);
  write_string(w, "body", message.body);
  write_int(w, "send_time", message.send_time);
  write_int(w, "update_time", message.update_time);
  w.EndObject();
}

void write_room_task(JsonWriter& w, const core::Task& task) {
  w.StartObject();
  write_task_fields(w, task);
  write_account_mini(w, "account", task.assignee);
  write_task_tail(w, task);
  w.EndObject();
}

void write_my_task(JsonWriter& w, const CodecContext& ctx, const core::Task& task) {
  w.StartObject();
  write_task_fields(w, task);
  key(w, "room");
  w.StartObject();
  write_int(w, "room_id", task.room_id.value);
  write_string(w, "name", task.room_name);
  core::Room room;
  room.icon_preset = task.room_icon_path;
  write_string(w, "icon_path", ctx.icon_path(room));
  w.EndObject();
  write_task_tail(w, task);
  w.EndObject();
}

void write_file(JsonWriter& w, const core::File& file, const std::string* download_url) {
  w.StartObject();
  write_int(w, "file_id", file.id.value);
  write_account_mini(w, "account", file.uploader);
  write_string(w, "message_id", message_id_text(file.message_id));
  write_string(w, "filename", file.filename);
  write_int(w, "filesize", file.filesize);
  write_int(w, "upload_time", file.upload_time);
  if (download_url != nullptr) {
    write_string(w, "download_url", *download_url);
  }
  w.EndObject();
}

void write_status(JsonWriter& w, const ports::MyStatus& status) {
  w.StartObject();
  write_int(w, "unread_room_num", status.unread_room_num);
  write_int(w, "mention_room_num", status.mention_room_num);
  write_int(w, "mytask_room_num", status.mytask_room_num);
  write_int(w, "unread_num", status.unread_num);
  write_int(w, "mention_num", status.mention_num);
  write_int(w, "mytask_num", status.mytask_num);
  w.EndObject();
}

}  // namespace kaiwa::api::chatwork
