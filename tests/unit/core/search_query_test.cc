// Tests for parse_search_query: the query box's syntax (docs/api/kaiwa-openapi.yaml, search).
#include "core/search_query.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/result_assertions.h"

namespace kaiwa::core {
namespace {

using Strings = std::vector<std::string>;

std::vector<Strings> clauses_of(std::string_view text) {
  auto query = parse_search_query(text);
  EXPECT_TRUE(test::is_ok(query)) << text;
  std::vector<Strings> clauses;
  if (query) {
    for (const SearchClause& clause : query->required) {
      clauses.push_back(clause.alternatives);
    }
  }
  return clauses;
}

Strings excluded_of(std::string_view text) {
  auto query = parse_search_query(text);
  EXPECT_TRUE(test::is_ok(query)) << text;
  return query ? query->excluded : Strings{};
}

bool rejects(std::string_view text) {
  return test::fails_with(parse_search_query(text), ErrorCode::kInvalidArgument);
}

TEST(SearchQueryTest, WordsSplitAtAsciiAndIdeographicSpacesAreAnded) {
  EXPECT_EQ(clauses_of("会議  資料\u3000kube"),
            (std::vector<Strings>{{"会議"}, {"資料"}, {"kube"}}));
}

TEST(SearchQueryTest, PhraseKeepsSpacesAndUnescapesQuotesAndBackslashes) {
  EXPECT_EQ(clauses_of(R"("release plan" "a\"b\\c" "x\y")"),
            (std::vector<Strings>{{"release plan"}, {"a\"b\\c"}, {"x\\y"}}));
}

TEST(SearchQueryTest, OrJoinsNeighboursAndBindsTighterThanAnd) {
  EXPECT_EQ(clauses_of("資料 会議 OR 打ち合わせ OR \"kick off\""),
            (std::vector<Strings>{{"資料"}, {"会議", "打ち合わせ", "kick off"}}));
}

TEST(SearchQueryTest, OrWithoutTwoNeighboursAndLowerCaseOrAreWords) {
  EXPECT_EQ(clauses_of("OR"), (std::vector<Strings>{{"OR"}}));
  EXPECT_EQ(clauses_of("a OR"), (std::vector<Strings>{{"a"}, {"OR"}}));
  EXPECT_EQ(clauses_of("a or b"), (std::vector<Strings>{{"a"}, {"or"}, {"b"}}));
  EXPECT_EQ(clauses_of("a OR OR b"), (std::vector<Strings>{{"a"}, {"OR"}, {"OR"}, {"b"}}));
}

TEST(SearchQueryTest, DashAndNotExclude) {
  EXPECT_EQ(excluded_of("会議 -会議室 NOT \"定例 会\" -"), (Strings{"会議室", "定例 会"}));
  EXPECT_EQ(clauses_of("会議 -会議室 NOT \"定例 会\" -"), (std::vector<Strings>{{"会議"}, {"-"}}));
}

TEST(SearchQueryTest, EngineSyntaxIsPlainText) {
  EXPECT_EQ(clauses_of("body:@x _key:1 (a) * \\ --filter"),
            (std::vector<Strings>{{"body:@x"}, {"_key:1"}, {"(a)"}, {"*"}, {"\\"}}));
  EXPECT_EQ(excluded_of("a --filter"), Strings{"-filter"});
}

TEST(SearchQueryTest, RejectsWhatCannotBeSearched) {
  EXPECT_TRUE(rejects(""));
  EXPECT_TRUE(rejects("   \u3000"));
  EXPECT_TRUE(rejects("-会議"));
  EXPECT_TRUE(rejects("NOT 会議"));
  EXPECT_TRUE(rejects("\"\""));
  EXPECT_TRUE(rejects("a OR -b"));
  EXPECT_TRUE(rejects("-a OR b"));
  EXPECT_TRUE(rejects("\"unterminated"));
  EXPECT_TRUE(rejects(std::string("a\0b", 3)));
  EXPECT_TRUE(rejects("\xff\xfe"));
}

TEST(SearchQueryTest, LimitsCountCharactersAndWords) {
  EXPECT_TRUE(test::is_ok(
      parse_search_query(std::string(333, 'a') + std::string(std::size_t{222} * 3, 'x'))));
  std::string japanese;
  for (int i = 0; i < 1000; ++i) {
    japanese += "会";
  }
  EXPECT_TRUE(test::is_ok(parse_search_query(japanese)));
  EXPECT_TRUE(rejects(japanese + "a"));
  std::string sixteen;
  for (int i = 0; i < 16; ++i) {
    sixteen.append("w").append(std::to_string(i)).append(" ");
  }
  EXPECT_TRUE(test::is_ok(parse_search_query(sixteen)));
  EXPECT_TRUE(rejects(sixteen + "-x"));
}

}  // namespace
}  // namespace kaiwa::core
