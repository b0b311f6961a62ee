// Strong id types: an AccountId can never be passed where a RoomId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace kaiwa::core {

template <typename Tag>
struct StrongId {
  std::int64_t value = 0;

  constexpr StrongId() = default;

  constexpr explicit StrongId(std::int64_t v) : value(v) {}

  // clang-tidy 14 mistakes the defaulted <=>'s implicit comparison against 0 for a null pointer.
  friend constexpr auto operator<=>(StrongId, StrongId) = default;  // NOLINT(modernize-use-nullptr)
};

using OrganizationId = StrongId<struct OrganizationIdTag>;
using AccountId = StrongId<struct AccountIdTag>;
using RoomId = StrongId<struct RoomIdTag>;
using MessageId = StrongId<struct MessageIdTag>;
using TaskId = StrongId<struct TaskIdTag>;
using FileId = StrongId<struct FileIdTag>;
using RequestId = StrongId<struct RequestIdTag>;
using JoinRequestId = StrongId<struct JoinRequestIdTag>;

}  // namespace kaiwa::core

template <typename Tag>
struct std::hash<kaiwa::core::StrongId<Tag>> {
  std::size_t operator()(kaiwa::core::StrongId<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
