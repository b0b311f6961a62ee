// The search benchmark's queries: users who each read 50 rooms (a mix of busy and quiet ones,
// as a member of a few company-wide rooms and many project rooms), and query classes of words
// by frequency — frequent, rare, 2-character, two words together — for those users.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/search_query.h"
#include "search/corpus.h"

namespace search_bench {

struct BenchUser {
  std::vector<kaiwa::core::RoomId> rooms;
};

// `count` users of `rooms_per_user` distinct rooms: 10 % from the busiest 1 % of rooms, 30 % from
// the next 9 %, the rest from the quiet 90 %.
std::vector<BenchUser> make_users(const Corpus& corpus, std::size_t count,
                                  std::size_t rooms_per_user, std::uint64_t seed);

struct BenchQuery {
  std::vector<std::string> words;  // all required (ANDed)
  std::size_t user = 0;

  [[nodiscard]] kaiwa::core::SearchQuery to_search_query() const;
  [[nodiscard]] std::string text() const;  // the words joined by spaces, for reports
};

struct QueryClass {
  std::string name;
  std::string description;
  std::vector<BenchQuery> queries;
};

// `per_class` queries in each class, users taken in turn. Rare words come from the corpus's
// long-tail counts, so call this after a full pass over the corpus.
std::vector<QueryClass> make_query_classes(const Corpus& corpus,
                                           const std::vector<BenchUser>& users,
                                           std::size_t per_class);

}  // namespace search_bench
