#pragma once

#include <cstdint>
#include <vector>

namespace fanout {

// The sequence numbers seen from one room: by a subscriber (what arrived) or by the poster (what
// the server acknowledged). A bitmap, since sequences are dense and counted from 0; insertion
// keeps the contiguous prefix up to date because catch-up checks read it after every delivery.
class SeqSet {
 public:
  // false when `seq` was already present (a duplicate delivery).
  bool insert(std::uint64_t seq);

  bool contains(std::uint64_t seq) const;

  // Every sequence below it is present.
  std::uint64_t prefix() const { return prefix_; }

  std::uint64_t size() const { return size_; }

  // How many members of `expected` this set lacks.
  std::uint64_t missing_from(const SeqSet& expected) const;

 private:
  std::vector<std::uint64_t> words_;
  std::uint64_t prefix_ = 0;
  std::uint64_t size_ = 0;
};

}  // namespace fanout
