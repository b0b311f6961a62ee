#include "fanout/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include <fmt/format.h>

namespace fanout {

int Histogram::index_of(std::uint64_t value) {
  constexpr std::uint64_t kLinear = std::uint64_t{1} << (kSubBucketBits + 1);
  if (value < kLinear) {
    return static_cast<int>(value);
  }
  // value lies in [2^(S+e), 2^(S+e+1)): its top S+1 bits select one of 2^S sub-buckets of
  // exponent e.
  const int msb = 63 - std::countl_zero(value);
  const int exponent = msb - kSubBucketBits;
  const auto sub = static_cast<int>((value >> exponent) - (std::uint64_t{1} << kSubBucketBits));
  return static_cast<int>(kLinear) + (exponent - 1) * (1 << kSubBucketBits) + sub;
}

std::uint64_t Histogram::highest_equivalent(int index) {
  constexpr int kLinear = 1 << (kSubBucketBits + 1);
  if (index < kLinear) {
    return static_cast<std::uint64_t>(index);
  }
  const int exponent = (index - kLinear) / (1 << kSubBucketBits) + 1;
  const int sub = (index - kLinear) % (1 << kSubBucketBits);
  const std::uint64_t low = (std::uint64_t{1} << kSubBucketBits) + static_cast<std::uint64_t>(sub);
  return ((low + 1) << exponent) - 1;
}

void Histogram::record(std::int64_t value_ns) {
  // A negative latency can only come from a message scheduled in the future, which the poster
  // never sends; clamp rather than index out of range.
  const auto value = static_cast<std::uint64_t>(std::max<std::int64_t>(value_ns, 0));
  ++buckets_[static_cast<std::size_t>(index_of(value))];
  ++count_;
  max_ = std::max(max_, static_cast<std::int64_t>(value));
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t Histogram::percentile(double q) const {
  if (count_ == 0) {
    return 0;
  }
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      return std::min(static_cast<std::int64_t>(highest_equivalent(static_cast<int>(i))), max_);
    }
  }
  return max_;
}

std::string format_duration(std::int64_t ns) {
  const auto value = static_cast<double>(ns);
  if (ns < 1'000'000) {
    return fmt::format("{:.0f} µs", value / 1e3);
  }
  if (ns < 1'000'000'000) {
    return fmt::format("{:.2f} ms", value / 1e6);
  }
  return fmt::format("{:.2f} s", value / 1e9);
}

}  // namespace fanout
