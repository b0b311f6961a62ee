#include "app/profile_service.h"

#include <vector>

#include "app/event_payload.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000, from Japanese IMEs

// Without leading and trailing ASCII white space and ideographic spaces.
std::string trimmed(std::string_view text) {
  bool changed = true;
  while (changed && !text.empty()) {
    changed = false;
    if (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
        text.front() == '\r') {
      text.remove_prefix(1);
      changed = true;
    } else if (text.starts_with(kIdeographicSpace)) {
      text.remove_prefix(kIdeographicSpace.size());
      changed = true;
    }
    if (text.empty()) {
      break;
    }
    if (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r') {
      text.remove_suffix(1);
      changed = true;
    } else if (text.ends_with(kIdeographicSpace)) {
      text.remove_suffix(kIdeographicSpace.size());
      changed = true;
    }
  }
  return std::string(text);
}

core::Status validate_line(std::string_view field, std::string_view value, std::size_t max_chars) {
  KAIWA_TRY(core::validate_text(field, value, 0, max_chars));
  if (value.find_first_of("\r\n\t") != std::string_view::npos) {
    return core::Error::invalid_argument("Parameter '" + std::string(field) +
                                         "' must be a single line");
  }
  return core::ok();
}

// A url is shown as a link: only the web's own schemes, never javascript: or data:.
core::Status validate_url(std::string_view value) {
  KAIWA_TRY(validate_line("url", value, core::kMaxProfileUrlChars));
  if (value.empty()) {
    return core::ok();
  }
  // Schemes are case-insensitive (RFC 3986): compare a lower-cased copy of the URL's start.
  std::string head(value.substr(0, 8));
  for (char& c : head) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  auto starts_with_folded = [&](std::string_view prefix) {
    return value.size() > prefix.size() && std::string_view(head).starts_with(prefix);
  };
  if (!starts_with_folded("http://") && !starts_with_folded("https://")) {
    return core::Error::invalid_argument("Parameter 'url' must start with http:// or https://");
  }
  if (value.find(' ') != std::string_view::npos) {
    return core::Error::invalid_argument("Parameter 'url' must not contain spaces");
  }
  return core::ok();
}

// Sets target from an optional edit, trimmed and checked as one line.
core::Status apply_line(std::string_view field, const std::optional<std::string>& edit,
                        std::string& target) {
  if (!edit) {
    return core::ok();
  }
  std::string value = trimmed(*edit);
  KAIWA_TRY(validate_line(field, value, core::kMaxProfileFieldChars));
  target = std::move(value);
  return core::ok();
}

}  // namespace

std::optional<ImageType> sniff_image_type(std::string_view bytes) {
  constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n";
  constexpr std::string_view kJpeg = "\xFF\xD8\xFF";
  if (bytes.starts_with(kPng)) {
    return ImageType{"image/png", "png"};
  }
  if (bytes.starts_with(kJpeg)) {
    return ImageType{"image/jpeg", "jpg"};
  }
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) {
    return ImageType{"image/gif", "gif"};
  }
  constexpr std::size_t kWebpHeaderBytes = 12;
  if (bytes.size() >= kWebpHeaderBytes && bytes.starts_with("RIFF") &&
      bytes.substr(8, 4) == "WEBP") {
    return ImageType{"image/webp", "webp"};
  }
  return std::nullopt;
}

std::string ProfileService::avatar_path(core::AccountId account, std::string_view blob_key,
                                        std::string_view content_type) {
  std::string_view extension = "img";
  for (std::string_view type : {"image/png", "image/jpeg", "image/gif", "image/webp"}) {
    if (type == content_type) {
      extension = type == "image/jpeg" ? "jpg" : type.substr(type.find('/') + 1);
    }
  }
  return "/avatars/" + std::to_string(account.value) + "/" + std::string(blob_key) + "." +
         std::string(extension);
}

core::Result<core::Account> ProfileService::update_profile(core::AccountId caller,
                                                           const ProfileUpdate& update) {
  const std::string name = trimmed(update.name);
  KAIWA_TRY(validate_line("name", name, core::kMaxAccountNameChars));
  if (name.empty()) {
    return core::Error::invalid_argument("Parameter 'name' is required");
  }
  std::optional<std::string> url;
  if (update.url) {
    url = trimmed(*update.url);
    KAIWA_TRY(validate_url(*url));
  }
  std::optional<std::string> introduction;
  if (update.introduction) {
    introduction = trimmed(*update.introduction);
    KAIWA_TRY(core::validate_text("introduction", *introduction, 0, core::kMaxIntroductionChars));
  }
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::Account> {
    KAIWA_ASSIGN_OR_RETURN(auto current, tx.find_account(caller));
    if (!current) {
      return core::Error::not_found("Account not found");
    }
    ports::ProfileFields fields{name,
                                current->department,
                                current->title,
                                url.value_or(current->url),
                                introduction.value_or(current->introduction),
                                current->tel_organization,
                                current->tel_extension,
                                current->tel_mobile,
                                current->skype,
                                current->facebook,
                                current->twitter};
    KAIWA_TRY(apply_line("department", update.department, fields.department));
    KAIWA_TRY(apply_line("title", update.title, fields.title));
    KAIWA_TRY(apply_line("tel_organization", update.tel_organization, fields.tel_organization));
    KAIWA_TRY(apply_line("tel_extension", update.tel_extension, fields.tel_extension));
    KAIWA_TRY(apply_line("tel_mobile", update.tel_mobile, fields.tel_mobile));
    KAIWA_TRY(apply_line("skype", update.skype, fields.skype));
    KAIWA_TRY(apply_line("facebook", update.facebook, fields.facebook));
    KAIWA_TRY(apply_line("twitter", update.twitter, fields.twitter));
    KAIWA_TRY(tx.update_profile(caller, fields));
    return finish(tx, caller, now_ms);
  });
}

core::Result<core::Account> ProfileService::set_avatar(core::AccountId caller,
                                                       std::string_view bytes) {
  if (bytes.empty()) {
    return core::Error::invalid_argument("Parameter 'file' is empty");
  }
  if (static_cast<std::int64_t>(bytes.size()) > core::kMaxAvatarBytes) {
    return core::Error::payload_too_large("The picture must be at most 1 MB");
  }
  const std::optional<ImageType> type = sniff_image_type(bytes);
  if (!type) {
    return core::Error::invalid_argument("Parameter 'file' must be a PNG, JPEG, GIF or WebP image");
  }
  // Content-addressed, so a blob written before a failed transaction is only an orphan.
  KAIWA_ASSIGN_OR_RETURN(std::string key, deps_.blobs.put(bytes));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::Account> {
    KAIWA_ASSIGN_OR_RETURN(auto current, tx.find_account(caller));
    if (!current) {
      return core::Error::not_found("Account not found");
    }
    const std::string url = deps_.public_url + avatar_path(caller, key, type->content_type);
    KAIWA_TRY(
        tx.set_avatar(caller, ports::AvatarRecord{key, std::string(type->content_type)}, url));
    return finish(tx, caller, now_ms);
  });
}

core::Result<core::Account> ProfileService::remove_avatar(core::AccountId caller) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::Account> {
    KAIWA_ASSIGN_OR_RETURN(auto current, tx.find_account(caller));
    if (!current) {
      return core::Error::not_found("Account not found");
    }
    if (current->avatar_image_url.empty()) {
      return std::move(*current);
    }
    KAIWA_TRY(tx.set_avatar(caller, ports::AvatarRecord{}, ""));
    return finish(tx, caller, now_ms);
  });
}

core::Result<AvatarImage> ProfileService::avatar(core::AccountId account, std::string_view file) {
  KAIWA_ASSIGN_OR_RETURN(
      auto record, deps_.store.read([&](ports::StoreTx& tx) { return tx.find_avatar(account); }));
  if (!record || avatar_path(account, record->blob_key, record->content_type) !=
                     "/avatars/" + std::to_string(account.value) + "/" + std::string(file)) {
    return core::Error::not_found("Not found");
  }
  KAIWA_ASSIGN_OR_RETURN(std::string bytes, deps_.blobs.get(record->blob_key));
  return AvatarImage{std::move(record->content_type), std::move(bytes)};
}

// Records account_updated in every room of the account (its My Chat tells its own other
// clients; direct chats its contacts) and returns the account as it now is.
core::Result<core::Account> ProfileService::finish(ports::StoreTx& tx, core::AccountId caller,
                                                   std::int64_t now_ms) {
  KAIWA_ASSIGN_OR_RETURN(auto account, tx.find_account(caller));
  if (!account) {
    return core::Error::not_found("Account not found");
  }
  KAIWA_ASSIGN_OR_RETURN(std::vector<core::MembershipSpan> spans,
                         tx.list_membership_spans(caller, core::MembershipSpan::kOpenEnded));
  const EventPayload payload = EventPayload()
                                   .add("account_id", caller.value)
                                   .add("name", account->name)
                                   .add("avatar_image_url", account->avatar_image_url);
  for (const core::MembershipSpan& span : spans) {
    if (span.left_pos == core::MembershipSpan::kOpenEnded) {
      KAIWA_TRY(record_event(tx, "account_updated", span.room,
                             EventPayload(payload).add("room_id", span.room.value), now_ms));
    }
  }
  return std::move(*account);
}

}  // namespace kaiwa::app
