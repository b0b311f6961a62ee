#include "app/file_service.h"

#include "app/event_payload.h"
#include "app/message_service.h"
#include "app/room_service.h"
#include "app/system_messages.h"
#include "core/constant_time.h"
#include "core/limits.h"
#include "core/room_policy.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

core::Status validate_filename(std::string_view name) {
  KAIWA_TRY(core::validate_text("file", name, 1, core::kMaxFilenameBytes));
  if (name.size() > core::kMaxFilenameBytes ||
      name.find_first_of("/\\") != std::string_view::npos || name == "." || name == "..") {
    return core::Error::invalid_argument("The file name is not allowed");
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return core::Error::invalid_argument("The file name is not allowed");
    }
  }
  return core::ok();
}

}  // namespace

core::Result<core::FileId> FileService::upload(core::AccountId caller, core::RoomId room,
                                               const Upload& upload) {
  if (static_cast<std::int64_t>(upload.bytes.size()) > deps_.max_upload_bytes) {
    return core::Error::payload_too_large("The file is larger than the upload limit")
        .because(core::reason::kFileTooLarge);
  }
  KAIWA_TRY(validate_filename(upload.filename));
  KAIWA_TRY(core::validate_text("message", upload.message, 0, core::kMaxMessageChars));
  // Check the gate before writing bytes, so a stranger cannot fill the disk.
  KAIWA_TRY(deps_.store.run_read([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    return core::require_can_write(membership);
  }));
  KAIWA_ASSIGN_OR_RETURN(std::string blob_key, deps_.blobs.put(upload.bytes));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::FileId> {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    KAIWA_TRY(core::require_can_write(membership));
    core::File file;
    file.room_id = room;
    file.uploader.id = caller;
    file.filename = upload.filename;
    file.filesize = static_cast<std::int64_t>(upload.bytes.size());
    file.content_type = upload.content_type;
    file.blob_key = blob_key;
    file.upload_time = now_ms / 1000;
    KAIWA_ASSIGN_OR_RETURN(file.message_id, tx.allocate_message_id(now_ms));
    KAIWA_ASSIGN_OR_RETURN(file.id, tx.insert_file(file));
    bool is_image = upload.content_type.rfind("image/", 0) == 0;
    KAIWA_TRY(append_message_with_id(tx, file.message_id, room, caller,
                                     file_uploaded_body(upload.message, file, is_image), now_ms));
    KAIWA_TRY(record_event(tx, "file_uploaded", room,
                           EventPayload()
                               .add("room_id", room.value)
                               .add("file_id", file.id.value)
                               .add("account_id", caller.value),
                           now_ms));
    return file.id;
  });
}

core::Result<std::vector<core::File>> FileService::list_files(
    core::AccountId caller, core::RoomId room, std::optional<core::AccountId> uploader) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::File>> {
    KAIWA_TRY(enter_room(tx, room, caller));
    return tx.list_files(room, uploader, core::kMaxListedItems);
  });
}

core::Result<core::File> FileService::get_file(core::AccountId caller, core::RoomId room,
                                               core::FileId file) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<core::File> {
    KAIWA_TRY(enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(auto found, tx.find_file(room, file));
    if (!found) {
      return core::Error::not_found("File not found");
    }
    return std::move(*found);
  });
}

std::string FileService::signature_of(core::FileId file, std::int64_t expires) const {
  return deps_.crypto.sign("file-download:" + std::to_string(file.value) + ":" +
                           std::to_string(expires));
}

std::string FileService::download_url(const core::File& file) const {
  const std::int64_t expires = deps_.clock.now_unix() + kDownloadUrlSeconds;
  return deps_.public_url + "/files/" + std::to_string(file.id.value) +
         "/download?expires=" + std::to_string(expires) +
         "&signature=" + signature_of(file.id, expires);
}

core::Result<Download> FileService::open_download(core::FileId file, std::int64_t expires,
                                                  std::string_view signature) {
  if (!core::constant_time_equal(signature, signature_of(file, expires)) ||
      deps_.clock.now_unix() > expires) {
    return core::Error::not_found("This download link is invalid or has expired");
  }
  KAIWA_ASSIGN_OR_RETURN(
      auto found, deps_.store.read([&](ports::StoreTx& tx) { return tx.find_file_by_id(file); }));
  if (!found) {
    return core::Error::not_found("File not found");
  }
  KAIWA_ASSIGN_OR_RETURN(std::string bytes, deps_.blobs.get(found->blob_key));
  return Download{std::move(*found), std::move(bytes)};
}

}  // namespace kaiwa::app
