// Time-ordered 64-bit message ids (design.md §4): 41 bits of milliseconds since 2024-01-01Z,
// 10 bits of node id, 12 bits of sequence, so ids sort by send time across a cluster.
#pragma once

#include <cstdint>

#include "core/ids.h"

namespace kaiwa::core {

// 2024-01-01T00:00:00Z in Unix milliseconds.
inline constexpr std::int64_t kSnowflakeEpochUnixMs = 1'704'067'200'000;
inline constexpr int kSnowflakeNodeBits = 10;
inline constexpr int kSnowflakeSequenceBits = 12;
inline constexpr int kSnowflakeMaxNodeId = (1 << kSnowflakeNodeBits) - 1;
// The last millisecond the 41-bit field can hold (in 2093); the sign bit stays clear.
inline constexpr std::int64_t kSnowflakeMaxMs = (std::int64_t{1} << 41) - 1;

// Hands out strictly increasing ids for one node, even when the clock steps back (it keeps the
// last millisecond) or more than 4096 ids fall in one millisecond (it borrows the next one).
// Owned by whoever holds the node's lease; not thread-safe, so callers serialize next().
class SnowflakeGenerator {
 public:
  // Throws std::invalid_argument unless 0 <= node_id <= kSnowflakeMaxNodeId: a bad node id is a
  // configuration bug that would otherwise collide with another node's ids.
  explicit SnowflakeGenerator(int node_id);

  // Next id for a message sent at `now_unix_ms`. Times before the epoch count as the epoch.
  // Throws std::overflow_error past kSnowflakeMaxMs (a clock reading beyond 2093), because no
  // larger id fits in int64.
  MessageId next(std::int64_t now_unix_ms);

  // Makes every later id greater than `last` (an id already issued, by any node or an earlier
  // run), whatever the clock says: a restarted process resumes after what its store holds.
  void resume_after(MessageId last);

 private:
  // Constant after construction.
  std::uint64_t node_id_;

  // Milliseconds since the epoch of the last id issued, and its sequence within that millisecond.
  std::int64_t last_ms_ = -1;
  std::uint64_t sequence_ = 0;
};

// The Unix time in milliseconds encoded in a Snowflake id (after any borrowing, so it may run a
// little ahead of the real send time under bursts).
std::int64_t snowflake_unix_ms(MessageId id);

}  // namespace kaiwa::core
