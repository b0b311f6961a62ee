// Use cases of files: uploading into a room, listing, and short-lived download links.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/dependencies.h"
#include "core/message.h"

namespace kaiwa::app {

struct Upload {
  std::string filename;
  std::string content_type;
  std::string bytes;
  std::string message;
};

struct Download {
  core::File file;
  std::string bytes;
};

// Thread-safe (stateless beyond its dependencies).
class FileService {
 public:
  // How long a download URL stays valid (api notes §4.6).
  static constexpr std::int64_t kDownloadUrlSeconds = 30;

  explicit FileService(Dependencies deps) : deps_(std::move(deps)) {}

  // Stores the bytes, then records the file and its notice message in one transaction.
  // Errors: kPayloadTooLarge; kInvalidArgument bad name or message; kPermissionDenied readonly.
  core::Result<core::FileId> upload(core::AccountId caller, core::RoomId room,
                                    const Upload& upload);
  core::Result<std::vector<core::File>> list_files(core::AccountId caller, core::RoomId room,
                                                   std::optional<core::AccountId> uploader);
  core::Result<core::File> get_file(core::AccountId caller, core::RoomId room, core::FileId file);
  // A URL anyone holding it may fetch the file from, until it expires.
  std::string download_url(const core::File& file) const;
  // Errors: kNotFound for a bad signature, an expired link or an unknown file.
  core::Result<Download> open_download(core::FileId file, std::int64_t expires,
                                       std::string_view signature);

 private:
  std::string signature_of(core::FileId file, std::int64_t expires) const;

  Dependencies deps_;
};

}  // namespace kaiwa::app
