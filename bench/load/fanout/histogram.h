#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace fanout {

// Log-linear latency histogram (HdrHistogram's layout with 32 sub-buckets per power of two, so
// any recorded value is reported within ~3 %). Fixed size, no allocation on record: it sits on
// the receive path of every delivery.
class Histogram {
 public:
  void record(std::int64_t value_ns);
  void merge(const Histogram& other);

  std::uint64_t count() const { return count_; }

  std::int64_t max() const { return max_; }

  // The highest value equivalent to the recorded ones at quantile q (0 < q <= 1), as
  // HdrHistogram reports it: never below the true percentile.
  std::int64_t percentile(double q) const;

 private:
  static constexpr int kSubBucketBits = 5;
  static constexpr int kBuckets =
      (64 - kSubBucketBits) * (1 << kSubBucketBits) + (1 << kSubBucketBits);

  static int index_of(std::uint64_t value);
  static std::uint64_t highest_equivalent(int index);

  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

// "812 µs", "3.41 ms", "1.20 s": the units post_message.sh's wrk tables use.
std::string format_duration(std::int64_t ns);

}  // namespace fanout
