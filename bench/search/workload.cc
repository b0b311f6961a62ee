#include "search/workload.h"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace search_bench {
namespace {

// Pairs of 3+ character words that occur together often enough to be worth searching for.
const std::vector<std::vector<std::string>> kWordPairs = {
    {"サーバー", "エラー"},
    {"見積もり", "お願いします"},
    {"デプロイ", "完了しました"},
    {"請求書", "送付します"},
    {"議事録", "アップしました"},
    {"本番環境", "メンテナンス"},
    {"ミーティング", "いかがでしょうか"},
    {"データベース", "タイムアウト"},
    {"仕様書", "レビュー"},
    {"打ち合わせ", "変更になりました"},
};

// Cycles through `words`, one query each, users in turn (the stride keeps a word from always
// landing on the same user when the counts share a factor).
std::vector<BenchQuery> cycle(const std::vector<std::vector<std::string>>& words, std::size_t users,
                              std::size_t count) {
  std::vector<BenchQuery> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back({words[i % words.size()], (i * 7 + i / words.size()) % users});
  }
  return out;
}

std::vector<std::vector<std::string>> singletons(const std::vector<std::string>& words) {
  std::vector<std::vector<std::string>> out;
  out.reserve(words.size());
  for (const auto& word : words) {
    out.push_back({word});
  }
  return out;
}

// The rarest long-tail words (customer and project names), each asked by a user who reads a
// room it was written in, so that every rare query has something to find.
std::vector<BenchQuery> rare_queries(const Corpus& corpus, const std::vector<BenchUser>& users,
                                     std::size_t count) {
  std::unordered_map<std::int64_t, std::vector<std::size_t>> readers;
  for (std::size_t u = 0; u < users.size(); ++u) {
    for (const auto room : users[u].rooms) {
      readers[room.value].push_back(u);
    }
  }
  std::vector<WordCount> words = corpus.tail_word_counts();
  std::erase_if(words,
                [&](const WordCount& w) { return w.count == 0 || !readers.contains(w.last_room); });
  if (words.empty()) {
    throw std::logic_error("no long-tail word in any user's rooms: take the census first");
  }
  std::stable_sort(words.begin(), words.end(),
                   [](const WordCount& a, const WordCount& b) { return a.count < b.count; });
  std::vector<BenchQuery> out;
  for (std::size_t i = 0; i < count; ++i) {
    const WordCount& word = words[i % words.size()];
    const auto& room_readers = readers.at(word.last_room);
    out.push_back({{word.word}, room_readers[(i / words.size()) % room_readers.size()]});
  }
  return out;
}

}  // namespace

std::vector<BenchUser> make_users(const Corpus& corpus, std::size_t count,
                                  std::size_t rooms_per_user, std::uint64_t seed) {
  const auto& rooms = corpus.rooms_by_size();
  if (rooms.size() < rooms_per_user) {
    throw std::invalid_argument("fewer rooms in the corpus than rooms per user");
  }
  // Tier bounds in room rank, and how many of a user's rooms come from each tier.
  const std::size_t busy_end = std::max<std::size_t>(rooms.size() / 100, rooms_per_user / 10);
  const std::size_t medium_end = std::max(rooms.size() / 10, busy_end + rooms_per_user * 3 / 10);
  const std::size_t busy = rooms_per_user / 10;
  const std::size_t medium = rooms_per_user * 3 / 10;
  std::mt19937_64 random(seed);
  std::vector<BenchUser> users(count);
  for (BenchUser& user : users) {
    std::vector<std::size_t> ranks;
    const auto take = [&](std::size_t from, std::size_t to, std::size_t n) {
      std::uniform_int_distribution<std::size_t> pick(from, std::min(to, rooms.size()) - 1);
      for (std::size_t taken = 0; taken < n;) {
        const std::size_t rank = pick(random);
        if (std::find(ranks.begin(), ranks.end(), rank) == ranks.end()) {
          ranks.push_back(rank);
          ++taken;
        }
      }
    };
    take(0, busy_end, busy);
    take(busy_end, medium_end, medium);
    take(medium_end, rooms.size(), rooms_per_user - busy - medium);
    for (const std::size_t rank : ranks) {
      user.rooms.emplace_back(rooms[rank]);
    }
  }
  return users;
}

kaiwa::core::SearchQuery BenchQuery::to_search_query() const {
  kaiwa::core::SearchQuery query;
  for (const auto& word : words) {
    query.required.push_back({{word}});
  }
  return query;
}

std::string BenchQuery::text() const {
  std::string out;
  for (const auto& word : words) {
    out += out.empty() ? "" : " ";
    out += word;
  }
  return out;
}

std::vector<QueryClass> make_query_classes(const Corpus& corpus,
                                           const std::vector<BenchUser>& users,
                                           std::size_t per_class) {
  std::vector<QueryClass> classes;
  classes.push_back({"frequent", "frequent words of 3+ characters (打ち合わせ, サーバー, 請求書…)",
                     cycle(singletons(Corpus::frequent_words()), users.size(), per_class)});
  classes.push_back({"rare",
                     "the rarest customer and project names (4–10 characters) in the user's rooms",
                     rare_queries(corpus, users, per_class)});
  classes.push_back({"two_char", "2-character words (会議, 資料, 納期, 田中…)",
                     cycle(singletons(Corpus::two_character_words()), users.size(), per_class)});
  classes.push_back({"two_words", "two 3+ character words ANDed (サーバー エラー…)",
                     cycle(kWordPairs, users.size(), per_class)});
  return classes;
}

}  // namespace search_bench
