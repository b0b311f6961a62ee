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

// One task request stores its body once per assignee (task row and notice): bounded in total, so
// a single request cannot make the writer store hundreds of megabytes.
inline constexpr std::size_t kMaxTaskBytesPerRequest = std::size_t{2} * 1024 * 1024;

}  // namespace kaiwa::core
