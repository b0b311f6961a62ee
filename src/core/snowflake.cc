// Snowflake id generation: bit layout and the monotonic borrowing rule.
#include "core/snowflake.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace kaiwa::core {
namespace {

constexpr int kSequenceShift = 0;
constexpr int kNodeShift = kSnowflakeSequenceBits;
constexpr int kTimeShift = kSnowflakeNodeBits + kSnowflakeSequenceBits;
constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << kSnowflakeSequenceBits) - 1;

std::uint64_t checked_node_id(int node_id) {
  if (node_id < 0 || node_id > kSnowflakeMaxNodeId) {
    throw std::invalid_argument("snowflake node id out of range: " + std::to_string(node_id));
  }
  return static_cast<std::uint64_t>(node_id);
}

}  // namespace

SnowflakeGenerator::SnowflakeGenerator(int node_id) : node_id_(checked_node_id(node_id)) {}

MessageId SnowflakeGenerator::next(std::int64_t now_unix_ms) {
  // Compare before subtracting so an absurd clock value cannot overflow.
  const std::int64_t now_ms =
      now_unix_ms < kSnowflakeEpochUnixMs ? 0 : now_unix_ms - kSnowflakeEpochUnixMs;
  // Never go back in time: a stepped-back clock keeps issuing from the last millisecond.
  std::int64_t ms = std::max(now_ms, last_ms_);
  std::uint64_t sequence = 0;
  if (ms == last_ms_) {
    if (sequence_ == kMaxSequence) {
      ++ms;
    } else {
      sequence = sequence_ + 1;
    }
  }
  // Check before committing any state, so a throw leaves the generator able to continue
  // without ever repeating an id.
  if (ms > kSnowflakeMaxMs) {
    throw std::overflow_error("snowflake clock beyond the 41-bit range");
  }
  last_ms_ = ms;
  sequence_ = sequence;
  const std::uint64_t bits = (static_cast<std::uint64_t>(ms) << kTimeShift) |
                             (node_id_ << kNodeShift) | (sequence << kSequenceShift);
  return MessageId{static_cast<std::int64_t>(bits)};
}

std::int64_t snowflake_unix_ms(MessageId id) {
  return (id.value >> kTimeShift) + kSnowflakeEpochUnixMs;
}

void SnowflakeGenerator::resume_after(MessageId last) {
  if (last.value <= 0) {
    return;
  }
  const auto last_ms =
      static_cast<std::int64_t>(static_cast<std::uint64_t>(last.value) >> kTimeShift);
  if (last_ms >= last_ms_) {
    // Treat that millisecond as used up: the next id starts a later one, so it exceeds `last`
    // even when `last` came from a node with a higher id.
    last_ms_ = last_ms;
    sequence_ = kMaxSequence;
  }
}

}  // namespace kaiwa::core
