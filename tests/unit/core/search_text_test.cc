// Tests for searchable_text: notation tags are not text, what they enclose is.
#include "core/search_text.h"

#include <string>

#include <gtest/gtest.h>

namespace kaiwa::core {
namespace {

TEST(SearchTextTest, PlainTextIsKept) {
  EXPECT_EQ(searchable_text("明日の会議は10時から [a] x[1]"), "明日の会議は10時から [a] x[1]");
}

TEST(SearchTextTest, MentionAndReplyTagsAreRemovedNamesKept) {
  EXPECT_EQ(searchable_text("[To:123]山田さん\n[rp aid=5 to=7-99]了解です[toall]"),
            "山田さん\n了解です");
}

TEST(SearchTextTest, QuoteInfoTitleAndCodeTextIsKept) {
  EXPECT_EQ(searchable_text("[qt][qtmeta aid=1 time=1700000000]引用文[/qt]返信"), "引用文 返信");
  EXPECT_EQ(searchable_text("[info][title]議事録[/title]本文[/info]"), "議事録 本文");
  EXPECT_EQ(searchable_text("見て[code]a[To:1]b [hr][/code]以上"), "見て a[To:1]b [hr] 以上");
  EXPECT_EQ(searchable_text("[code]never closed [To:1]"), "never closed [To:1]");
}

TEST(SearchTextTest, TagsSeparateTheWordsAroundThem) {
  EXPECT_EQ(searchable_text("会[hr]議"), "会 議");
  EXPECT_EQ(searchable_text("[piconname:12]さんと[picon:3][dtext:chatroom_added]"), "さんと");
}

TEST(SearchTextTest, UnknownOrMalformedTagsStayText) {
  EXPECT_EQ(searchable_text("[Todo] [qt [To:1 x"), "[Todo] [qt [To:1 x");
  EXPECT_EQ(searchable_text("[rp aid=1\n]"), "[rp aid=1\n]");
}

TEST(SearchTextTest, HostileBodiesStayLinear) {
  std::string body;
  for (int i = 0; i < 20000; ++i) {
    body += "[rp aid=1 [";
  }
  EXPECT_EQ(searchable_text(body).size(), body.size());
}

}  // namespace
}  // namespace kaiwa::core
