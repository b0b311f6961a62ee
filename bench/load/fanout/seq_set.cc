#include "fanout/seq_set.h"

#include <bit>

namespace fanout {

bool SeqSet::insert(std::uint64_t seq) {
  const std::size_t word = seq / 64;
  const std::uint64_t bit = std::uint64_t{1} << (seq % 64);
  if (word >= words_.size()) {
    words_.resize(word + 1 + words_.size() / 2);
  }
  if ((words_[word] & bit) != 0) {
    return false;
  }
  words_[word] |= bit;
  ++size_;
  while (contains(prefix_)) {
    ++prefix_;
  }
  return true;
}

bool SeqSet::contains(std::uint64_t seq) const {
  const std::size_t word = seq / 64;
  return word < words_.size() && (words_[word] & (std::uint64_t{1} << (seq % 64))) != 0;
}

std::uint64_t SeqSet::missing_from(const SeqSet& expected) const {
  std::uint64_t missing = 0;
  for (std::size_t i = 0; i < expected.words_.size(); ++i) {
    const std::uint64_t have = i < words_.size() ? words_[i] : 0;
    missing += static_cast<std::uint64_t>(std::popcount(expected.words_[i] & ~have));
  }
  return missing;
}

}  // namespace fanout
