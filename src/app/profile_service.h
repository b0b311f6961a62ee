// Use cases of the signed-in account's own profile: its fields and its picture (avatar), and
// serving pictures publicly at the URL every account object carries (avatar_image_url).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/dependencies.h"
#include "core/account.h"
#include "core/result.h"

namespace kaiwa::app {

// A profile edit. name is required; a field left unset keeps its current value.
struct ProfileUpdate {
  std::string name;
  std::optional<std::string> department;
  std::optional<std::string> title;
  std::optional<std::string> url;
  std::optional<std::string> introduction;
  std::optional<std::string> tel_organization;
  std::optional<std::string> tel_extension;
  std::optional<std::string> tel_mobile;
  std::optional<std::string> skype;
  std::optional<std::string> facebook;
  std::optional<std::string> twitter;
};

// An image type Kaiwa accepts as a picture, told by its first bytes (never by a file name).
struct ImageType {
  std::string_view content_type;
  std::string_view extension;
};

// PNG, JPEG, GIF or WebP by magic bytes; nullopt for anything else.
std::optional<ImageType> sniff_image_type(std::string_view bytes);

struct AvatarImage {
  std::string content_type;
  std::string bytes;
};

// Thread-safe (stateless beyond its dependencies).
class ProfileService {
 public:
  explicit ProfileService(Dependencies deps) : deps_(std::move(deps)) {}

  // Trims every field (spaces, ideographic spaces included) and writes the profile; records
  // account_updated in each of the account's rooms, so its co-members and contacts (who share a
  // direct chat with it) learn the new name. Returns the account as /v2/me shows it.
  // Errors: kInvalidArgument (empty or over-long name, over-long field, a line break in a
  // one-line field, a url that is not http(s)), kNotFound (unknown account).
  core::Result<core::Account> update_profile(core::AccountId caller, const ProfileUpdate& update);
  // Stores bytes as the account's picture (served at a URL that names its content, so it may be
  // cached for good) and records account_updated. Errors: kInvalidArgument (not a PNG, JPEG,
  // GIF or WebP image, or empty), kPayloadTooLarge (over core::kMaxAvatarBytes), kUnavailable
  // (the blob store failed), kNotFound (unknown account).
  core::Result<core::Account> set_avatar(core::AccountId caller, std::string_view bytes);
  // Returns the account to the default picture (avatar_image_url ""); records account_updated
  // when it had one. Errors: kNotFound (unknown account).
  core::Result<core::Account> remove_avatar(core::AccountId caller);
  // The picture at /avatars/{account}/{file}: file must be the name of the account's current
  // picture. Errors: kNotFound (no such account or picture, or an older picture's name).
  core::Result<AvatarImage> avatar(core::AccountId account, std::string_view file);

  // The path (below the public URL) of a picture: /avatars/{account}/{blob key}.{extension}.
  static std::string avatar_path(core::AccountId account, std::string_view blob_key,
                                 std::string_view content_type);

 private:
  core::Result<core::Account> finish(ports::StoreTx& tx, core::AccountId caller,
                                     std::int64_t now_ms);

  Dependencies deps_;
};

}  // namespace kaiwa::app
