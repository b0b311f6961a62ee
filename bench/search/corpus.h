// A deterministic generator of Japanese business-chat messages for the search benchmark: bodies
// built from sentence templates whose slots draw words from Zipf-weighted vocabularies, so the
// corpus has frequent words, a long tail of rare ones, and 2-character words, with some Chatwork
// notation, emoji, English, full-width ＡＢＣ and half-width ｶﾀｶﾅ in it. Rooms are Zipf-sized.
// The same options give the same messages, byte for byte, so two engines can index one corpus
// without holding it in memory. Not thread-safe; one Corpus per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace search_bench {

struct CorpusOptions {
  std::uint64_t seed = 20240301;
  std::int64_t messages = 1'000'000;
  std::int64_t rooms = 5'000;
  std::int64_t accounts = 20'000;
  // Send times run evenly from here over one year (2024-01-01T09:00:00+09:00); not before
  // the Snowflake epoch (2024-01-01T00:00:00Z), since ids are derived from them.
  std::int64_t first_send_time = 1'704'067'200;
};

struct CorpusMessage {
  std::int64_t id = 0;  // Snowflake-shaped (design.md §4), increasing with send_time
  std::int64_t room = 0;
  std::int64_t sender = 0;
  std::int64_t send_time = 0;  // unix seconds
  std::string body;
};

// A word, how many times the generator has written it so far, and the room it last went to.
struct WordCount {
  std::string word;
  std::uint64_t count = 0;
  std::int64_t last_room = 0;
};

class Corpus {
 public:
  explicit Corpus(const CorpusOptions& options);
  ~Corpus();
  Corpus(const Corpus&) = delete;
  Corpus& operator=(const Corpus&) = delete;

  // Writes the next message into `out` (reusing its buffer); false once all are generated.
  bool next(CorpusMessage& out);

  // Starts over from the first message; word counts start over too.
  void rewind();

  // Room ids ordered from the busiest room to the quietest (room sizes are Zipf-distributed).
  [[nodiscard]] const std::vector<std::int64_t>& rooms_by_size() const;

  // Words of the long-tail vocabularies (customer names, project code names) with how often
  // they were written so far: after a full pass, the rare-word candidates.
  [[nodiscard]] std::vector<WordCount> tail_word_counts() const;

  // Frequent vocabulary words of at least 3 characters (what trigram indexes can find).
  [[nodiscard]] static std::vector<std::string> frequent_words();

  // Common 2-character words, which a trigram index cannot find.
  [[nodiscard]] static std::vector<std::string> two_character_words();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Counts Unicode code points in valid UTF-8.
std::size_t utf8_length(std::string_view text);

}  // namespace search_bench
