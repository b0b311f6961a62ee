// Tests for SnowflakeGenerator: bit layout, monotonicity under clock skew and bursts.
#include "core/snowflake.h"

#include <cstdint>
#include <stdexcept>

#include <gtest/gtest.h>

namespace kaiwa::core {
namespace {

// 2025-01-15T12:34:56.789Z.
constexpr std::int64_t kNow = 1'736'944'496'789;

std::int64_t ms_field(MessageId id) { return id.value >> 22; }

std::int64_t node_field(MessageId id) { return (id.value >> 12) & 0x3ff; }

std::int64_t sequence_field(MessageId id) { return id.value & 0xfff; }

TEST(SnowflakeTest, EpochIs2024) { EXPECT_EQ(kSnowflakeEpochUnixMs, 1'704'067'200'000); }

TEST(SnowflakeTest, LayoutIsMillisecondsNodeSequence) {
  SnowflakeGenerator generator(5);
  const MessageId id = generator.next(kNow);
  EXPECT_EQ(ms_field(id), kNow - kSnowflakeEpochUnixMs);
  EXPECT_EQ(node_field(id), 5);
  EXPECT_EQ(sequence_field(id), 0);
  EXPECT_EQ(id.value, ((kNow - kSnowflakeEpochUnixMs) << 22) | (5 << 12));
}

TEST(SnowflakeTest, IdsArePositive) {
  SnowflakeGenerator generator(kSnowflakeMaxNodeId);
  EXPECT_GT(generator.next(kNow).value, 0);
  EXPECT_GT(generator.next(kSnowflakeEpochUnixMs + kSnowflakeMaxMs).value, 0);
}

TEST(SnowflakeTest, RoundTripsTime) {
  SnowflakeGenerator generator(1);
  EXPECT_EQ(snowflake_unix_ms(generator.next(kNow)), kNow);
  EXPECT_EQ(snowflake_unix_ms(generator.next(kNow + 1000)), kNow + 1000);
}

TEST(SnowflakeTest, SameMillisecondIncrementsSequence) {
  SnowflakeGenerator generator(3);
  const MessageId first = generator.next(kNow);
  const MessageId second = generator.next(kNow);
  const MessageId third = generator.next(kNow);
  EXPECT_EQ(sequence_field(first), 0);
  EXPECT_EQ(sequence_field(second), 1);
  EXPECT_EQ(sequence_field(third), 2);
  EXPECT_EQ(ms_field(first), ms_field(third));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(SnowflakeTest, NewMillisecondResetsSequence) {
  SnowflakeGenerator generator(3);
  (void)generator.next(kNow);
  (void)generator.next(kNow);
  const MessageId later = generator.next(kNow + 1);
  EXPECT_EQ(sequence_field(later), 0);
  EXPECT_EQ(ms_field(later), kNow + 1 - kSnowflakeEpochUnixMs);
}

TEST(SnowflakeTest, BurstBeyondSequenceBorrowsNextMillisecond) {
  SnowflakeGenerator generator(7);
  MessageId previous = generator.next(kNow);
  for (int i = 1; i < 4096; ++i) {
    const MessageId id = generator.next(kNow);
    ASSERT_LT(previous, id);
    previous = id;
  }
  EXPECT_EQ(sequence_field(previous), 4095);
  EXPECT_EQ(ms_field(previous), kNow - kSnowflakeEpochUnixMs);

  const MessageId borrowed = generator.next(kNow);
  EXPECT_LT(previous, borrowed);
  EXPECT_EQ(ms_field(borrowed), kNow + 1 - kSnowflakeEpochUnixMs);
  EXPECT_EQ(sequence_field(borrowed), 0);
  EXPECT_EQ(node_field(borrowed), 7);

  // When the real clock reaches the borrowed millisecond, it continues from there.
  const MessageId caught_up = generator.next(kNow + 1);
  EXPECT_LT(borrowed, caught_up);
  EXPECT_EQ(sequence_field(caught_up), 1);
}

TEST(SnowflakeTest, LongBurstStaysStrictlyIncreasing) {
  SnowflakeGenerator generator(9);
  MessageId previous = generator.next(kNow);
  for (int i = 0; i < 100'000; ++i) {
    const MessageId id = generator.next(kNow);
    ASSERT_LT(previous, id) << i;
    ASSERT_EQ(node_field(id), 9);
    previous = id;
  }
  // 100,001 ids at 4096 per millisecond run 24 milliseconds ahead.
  EXPECT_EQ(ms_field(previous), kNow - kSnowflakeEpochUnixMs + 24);
}

TEST(SnowflakeTest, ClockGoingBackwardsStaysStrictlyIncreasing) {
  SnowflakeGenerator generator(2);
  const MessageId first = generator.next(kNow);
  const MessageId second = generator.next(kNow - 5000);
  const MessageId third = generator.next(kNow - 1);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(ms_field(second), ms_field(first));
  EXPECT_EQ(ms_field(third), ms_field(first));
  const MessageId recovered = generator.next(kNow + 1);
  EXPECT_LT(third, recovered);
  EXPECT_EQ(sequence_field(recovered), 0);
}

TEST(SnowflakeTest, ClockGoingBackwardsDuringBurstBorrows) {
  SnowflakeGenerator generator(2);
  MessageId previous = generator.next(kNow);
  for (int i = 0; i < 10'000; ++i) {
    const MessageId id = generator.next(kNow - i);
    ASSERT_LT(previous, id) << i;
    previous = id;
  }
}

TEST(SnowflakeTest, TimeBeforeEpochCountsAsEpoch) {
  SnowflakeGenerator generator(4);
  const MessageId first = generator.next(0);
  EXPECT_EQ(ms_field(first), 0);
  EXPECT_EQ(snowflake_unix_ms(first), kSnowflakeEpochUnixMs);
  const MessageId second = generator.next(INT64_MIN);
  EXPECT_LT(first, second);
  EXPECT_GT(first.value, 0);  // node bits are set, so even the first id is not 0
}

TEST(SnowflakeTest, DifferentNodesNeverCollide) {
  SnowflakeGenerator a(0);
  SnowflakeGenerator b(1);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_NE(a.next(kNow), b.next(kNow));
  }
}

TEST(SnowflakeTest, LaterMillisecondSortsAfterAnyNode) {
  SnowflakeGenerator high(kSnowflakeMaxNodeId);
  SnowflakeGenerator low(0);
  EXPECT_LT(high.next(kNow), low.next(kNow + 1));
}

TEST(SnowflakeTest, NodeIdRangeIsChecked) {
  EXPECT_NO_THROW(SnowflakeGenerator(0));
  EXPECT_NO_THROW(SnowflakeGenerator(1023));
  EXPECT_THROW(SnowflakeGenerator(-1), std::invalid_argument);
  EXPECT_THROW(SnowflakeGenerator(1024), std::invalid_argument);
}

TEST(SnowflakeTest, LastRepresentableMillisecondWorks) {
  SnowflakeGenerator generator(kSnowflakeMaxNodeId);
  const MessageId id = generator.next(kSnowflakeEpochUnixMs + kSnowflakeMaxMs);
  EXPECT_EQ(ms_field(id), kSnowflakeMaxMs);
  EXPECT_EQ(snowflake_unix_ms(id), kSnowflakeEpochUnixMs + kSnowflakeMaxMs);
}

TEST(SnowflakeTest, ClockBeyondRangeThrows) {
  SnowflakeGenerator generator(1);
  EXPECT_THROW((void)generator.next(kSnowflakeEpochUnixMs + kSnowflakeMaxMs + 1),
               std::overflow_error);
  EXPECT_THROW((void)generator.next(INT64_MAX), std::overflow_error);
  // A failed call leaves the generator usable.
  EXPECT_EQ(sequence_field(generator.next(kNow)), 0);
}

TEST(SnowflakeTest, ExhaustingTheLastMillisecondThrowsWithoutRepeating) {
  SnowflakeGenerator generator(1);
  const std::int64_t last = kSnowflakeEpochUnixMs + kSnowflakeMaxMs;
  MessageId previous = generator.next(last);
  for (int i = 1; i < 4096; ++i) {
    previous = generator.next(last);
  }
  EXPECT_THROW((void)generator.next(last), std::overflow_error);
  EXPECT_THROW((void)generator.next(last), std::overflow_error);
  EXPECT_EQ(sequence_field(previous), 4095);
}

TEST(SnowflakeTest, ResumeAfterMakesLaterIdsGreaterWhateverTheClock) {
  SnowflakeGenerator earlier_run(1);
  const MessageId last = earlier_run.next(kSnowflakeEpochUnixMs + 50'000);
  SnowflakeGenerator restarted(0);
  restarted.resume_after(last);
  // The clock now reads earlier than the last id, and this node's id is lower than the one
  // that issued it: the next id must still be greater.
  EXPECT_LT(last, restarted.next(kSnowflakeEpochUnixMs + 10'000));
}

TEST(SnowflakeTest, ResumeAfterAnOlderIdKeepsTheCurrentPosition) {
  SnowflakeGenerator generator(0);
  const MessageId recent = generator.next(kSnowflakeEpochUnixMs + 50'000);
  generator.resume_after(MessageId{1});
  EXPECT_LT(recent, generator.next(kSnowflakeEpochUnixMs + 50'000));
}

}  // namespace
}  // namespace kaiwa::core
