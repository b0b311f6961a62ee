// Sizes Kaiwa enforces on input (design.md §4, api notes §2).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kaiwa::core {

inline constexpr std::size_t kMaxMessageChars = 65535;
inline constexpr std::size_t kMaxRoomNameChars = 255;
inline constexpr std::size_t kMaxDescriptionChars = 65535;
inline constexpr std::size_t kMaxLinkCodeChars = 50;
inline constexpr std::size_t kMaxIdsInList = 100;
inline constexpr std::size_t kMaxListedItems = 100;
inline constexpr std::size_t kMaxFilenameBytes = 255;
inline constexpr std::int64_t kDefaultMaxUploadBytes = std::int64_t{5} * 1024 * 1024;
inline constexpr std::size_t kMinPasswordChars = 8;
// Argon2id hashes any length, but a megabyte password would only cost CPU.
inline constexpr std::size_t kMaxPasswordChars = 1024;

// Profile fields (PUT /kaiwa/v1/me): a name is as long as a room's; one-line fields are short;
// the introduction is a paragraph or two.
inline constexpr std::size_t kMaxAccountNameChars = kMaxRoomNameChars;
inline constexpr std::size_t kMaxProfileFieldChars = 255;
inline constexpr std::size_t kMaxProfileUrlChars = 2048;
inline constexpr std::size_t kMaxIntroductionChars = 2000;
// A profile picture (PUT /kaiwa/v1/me/avatar): 1 MiB, well above a sharp 512 px photo.
inline constexpr std::int64_t kMaxAvatarBytes = std::int64_t{1024} * 1024;

// One task request stores its body once per assignee (task row and notice): bounded in total, so
// a single request cannot make the writer store hundreds of megabytes.
inline constexpr std::size_t kMaxTaskBytesPerRequest = std::size_t{2} * 1024 * 1024;

}  // namespace kaiwa::core
