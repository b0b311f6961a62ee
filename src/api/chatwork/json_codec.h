// Chatwork's JSON shapes (api notes §3): exact field names and types, integer ids, string
// message ids, "" for unset strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/account.h"
#include "core/message.h"
#include "core/room.h"
#include "ports/store.h"

namespace kaiwa::api::chatwork {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes JSON documents; each codec function writes one value.
class Json {
 public:
  JsonWriter& writer() { return writer_; }

  std::string str() const { return buffer_.GetString(); }

 private:
  rapidjson::StringBuffer buffer_;
  JsonWriter writer_{buffer_};
};

void write_string(JsonWriter& w, std::string_view key, std::string_view value);
void write_int(JsonWriter& w, std::string_view key, std::int64_t value);
void write_bool(JsonWriter& w, std::string_view key, bool value);

// Settings the codec needs to build URLs.
struct CodecContext {
  std::string public_url;
  std::string icon_path(const core::Room& room) const;
};

void write_me(JsonWriter& w, const core::Account& account);
void write_account_mini(JsonWriter& w, std::string_view key, const core::Account& account);
void write_contact(JsonWriter& w, const core::Contact& contact);
// A person with /v2/contacts' fields but no room_id (Kaiwa's colleague directory).
void write_person(JsonWriter& w, const core::Account& account);
void write_member(JsonWriter& w, const core::Member& member);
void write_incoming_request(JsonWriter& w, const core::ContactRequest& request);
void write_room(JsonWriter& w, const CodecContext& ctx, const core::RoomView& view,
                bool with_description);
void write_message(JsonWriter& w, const core::Message& message);
void write_room_task(JsonWriter& w, const core::Task& task);
void write_my_task(JsonWriter& w, const CodecContext& ctx, const core::Task& task);
void write_file(JsonWriter& w, const core::File& file, const std::string* download_url);
void write_status(JsonWriter& w, const ports::MyStatus& status);

std::string message_id_text(core::MessageId id);

}  // namespace kaiwa::api::chatwork
