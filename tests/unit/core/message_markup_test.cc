// Tests for find_mentions: the Chatwork notation rules behind mention counters (api notes §7.4).
#include "core/message_markup.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kaiwa::core {
namespace {

std::vector<std::int64_t> ids_of(const Mentions& mentions) {
  std::vector<std::int64_t> ids;
  ids.reserve(mentions.account_ids.size());
  for (const AccountId id : mentions.account_ids) {
    ids.push_back(id.value);
  }
  return ids;
}

std::vector<std::int64_t> mentioned(std::string_view body) { return ids_of(find_mentions(body)); }

using Ids = std::vector<std::int64_t>;

TEST(MessageMarkupTest, EmptyBodyMentionsNobody) {
  const Mentions mentions = find_mentions("");
  EXPECT_TRUE(mentions.account_ids.empty());
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, PlainTextMentionsNobody) {
  const Mentions mentions = find_mentions("hello [world] 123 [ To:1 ]");
  EXPECT_TRUE(mentions.account_ids.empty());
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, ToTagMentionsAccount) {
  EXPECT_EQ(mentioned("[To:123]Yamada-san\nplease check"), Ids{123});
}

TEST(MessageMarkupTest, ToTagsAreCollectedInOrder) {
  EXPECT_EQ(mentioned("[To:3]c [To:1]a\n[To:2]b"), (Ids{3, 1, 2}));
}

TEST(MessageMarkupTest, DuplicateMentionsAreCollapsedKeepingFirstPosition) {
  EXPECT_EQ(mentioned("[To:2][To:1][rp aid=2 to=9-9][To:1][To:3]"), (Ids{2, 1, 3}));
}

TEST(MessageMarkupTest, ReplyTagMentionsAid) {
  EXPECT_EQ(mentioned("[rp aid=123 to=45-6789][pname:123]さん ok"), Ids{123});
}

TEST(MessageMarkupTest, ReplyTagWithoutTargetMentionsAid) {
  EXPECT_EQ(mentioned("[rp aid=123]"), Ids{123});
}

TEST(MessageMarkupTest, ReplyTagAttributesInAnyOrder) {
  EXPECT_EQ(mentioned("[rp to=45-6789 aid=77]"), Ids{77});
  EXPECT_EQ(mentioned("[rp  foo=bar   aid=78  to=1-2 ]"), Ids{78});
}

TEST(MessageMarkupTest, ReplyTagWithoutAidMentionsNobody) {
  EXPECT_EQ(mentioned("[rp to=45-6789]"), Ids{});
  EXPECT_EQ(mentioned("[rp ]"), Ids{});
  EXPECT_EQ(mentioned("[rp]"), Ids{});
  EXPECT_EQ(mentioned("[rpaid=5]"), Ids{});
}

TEST(MessageMarkupTest, ReplyTagWithBadAidMentionsNobody) {
  EXPECT_EQ(mentioned("[rp aid=abc to=1-2]"), Ids{});
  EXPECT_EQ(mentioned("[rp aid= to=1-2]"), Ids{});
  EXPECT_EQ(mentioned("[rp aid=12x to=1-2]"), Ids{});
  EXPECT_EQ(mentioned("[rp aid=0]"), Ids{});
  EXPECT_EQ(mentioned("[rp aid=-5]"), Ids{});
  EXPECT_EQ(mentioned("[rp aid=99999999999999999999999]"), Ids{});
  EXPECT_EQ(mentioned("[rp xaid=5]"), Ids{});
}

TEST(MessageMarkupTest, FirstReplyAidDecides) {
  EXPECT_EQ(mentioned("[rp aid=5 aid=6]"), Ids{5});
  EXPECT_EQ(mentioned("[rp aid=bad aid=6]"), Ids{});
}

TEST(MessageMarkupTest, UnterminatedReplyTagMentionsNobody) {
  EXPECT_EQ(mentioned("[rp aid=5"), Ids{});
  EXPECT_EQ(mentioned("[rp aid=5 to=1-2"), Ids{});
  // A tag cannot span another tag; the following [To:] still counts.
  EXPECT_EQ(mentioned("[rp aid=5 [To:6]"), Ids{6});
}

TEST(MessageMarkupTest, ToAllSetsFlag) {
  const Mentions mentions = find_mentions("[toall] meeting at 3");
  EXPECT_TRUE(mentions.to_all);
  EXPECT_TRUE(mentions.account_ids.empty());
}

TEST(MessageMarkupTest, ToAllAndToTagsCombine) {
  const Mentions mentions = find_mentions("[To:1][toall][To:2]");
  EXPECT_TRUE(mentions.to_all);
  EXPECT_EQ(ids_of(mentions), (Ids{1, 2}));
}

TEST(MessageMarkupTest, TagNamesAreCaseSensitive) {
  const Mentions mentions =
      find_mentions("[to:1][TO:2][tO:3][RP aid=4][Rp aid=5][ToAll][TOALL][toAll]");
  EXPECT_TRUE(mentions.account_ids.empty());
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, MalformedToTagsMentionNobody) {
  EXPECT_EQ(mentioned("[To:abc]"), Ids{});
  EXPECT_EQ(mentioned("[To:]"), Ids{});
  EXPECT_EQ(mentioned("[To:12a]"), Ids{});
  EXPECT_EQ(mentioned("[To: 12]"), Ids{});
  EXPECT_EQ(mentioned("[To:12 ]"), Ids{});
  EXPECT_EQ(mentioned("[To:-12]"), Ids{});
  EXPECT_EQ(mentioned("[To:+12]"), Ids{});
  EXPECT_EQ(mentioned("[To:0]"), Ids{});
  EXPECT_EQ(mentioned("[To:000]"), Ids{});
  EXPECT_EQ(mentioned("[To:12"), Ids{});
  EXPECT_EQ(mentioned("[To:"), Ids{});
  EXPECT_EQ(mentioned("[To"), Ids{});
  EXPECT_EQ(mentioned("["), Ids{});
  EXPECT_EQ(mentioned("[To:１２]"), Ids{});  // Full-width digits are not an id.
}

TEST(MessageMarkupTest, MalformedTagDoesNotHideTheNextTag) {
  EXPECT_EQ(mentioned("[To:abc[To:7]"), Ids{7});
  EXPECT_EQ(mentioned("[To:[To:8]"), Ids{8});
  EXPECT_EQ(mentioned("[[To:9]]"), Ids{9});
}

TEST(MessageMarkupTest, LeadingZerosAreAccepted) { EXPECT_EQ(mentioned("[To:007]"), Ids{7}); }

TEST(MessageMarkupTest, IdsUpToInt64MaxAreAccepted) {
  EXPECT_EQ(mentioned("[To:9223372036854775807]"), Ids{INT64_MAX});
  EXPECT_EQ(mentioned("[rp aid=9223372036854775807]"), Ids{INT64_MAX});
}

TEST(MessageMarkupTest, OverflowingIdsAreIgnored) {
  EXPECT_EQ(mentioned("[To:9223372036854775808]"), Ids{});
  EXPECT_EQ(mentioned("[To:99999999999999999999999]"), Ids{});
  EXPECT_EQ(mentioned("[To:18446744073709551617]"), Ids{});  // 2^64 + 1 must not wrap to 1.
}

TEST(MessageMarkupTest, ToInsideQuoteDoesNotCount) {
  EXPECT_EQ(mentioned("[qt][qtmeta aid=5 time=1700000000][To:1] hi[/qt]ok"), Ids{});
}

TEST(MessageMarkupTest, ReplyAndToAllInsideQuoteDoNotCount) {
  const Mentions mentions = find_mentions("[qt][rp aid=2 to=3-4][toall][/qt]");
  EXPECT_TRUE(mentions.account_ids.empty());
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, QuoteMetaAidIsNotAMention) {
  EXPECT_EQ(mentioned("[qt][qtmeta aid=5]quoted[/qt]"), Ids{});
  EXPECT_EQ(mentioned("[qtmeta aid=5 time=1]"), Ids{});
}

TEST(MessageMarkupTest, TagsAroundQuoteCount) {
  EXPECT_EQ(mentioned("[To:1][qt][qtmeta aid=2 time=1][To:2][/qt][To:3]"), (Ids{1, 3}));
}

TEST(MessageMarkupTest, NestedQuotesHideUntilOutermostClose) {
  EXPECT_EQ(mentioned("[qt][qt][To:1][/qt][To:2][/qt][To:3]"), Ids{3});
}

TEST(MessageMarkupTest, UnclosedQuoteHidesTheRest) {
  const Mentions mentions = find_mentions("[To:1][qt][qtmeta aid=2][To:2][toall]");
  EXPECT_EQ(ids_of(mentions), Ids{1});
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, UnbalancedNestedQuoteHidesTheRest) {
  EXPECT_EQ(mentioned("[qt][qt][/qt][To:1]"), Ids{});
}

TEST(MessageMarkupTest, StrayQuoteCloseIsPlainText) {
  EXPECT_EQ(mentioned("[/qt][To:1][/qt][qt][To:2][/qt][To:3]"), (Ids{1, 3}));
}

TEST(MessageMarkupTest, QuoteTagsAreCaseSensitive) {
  EXPECT_EQ(mentioned("[QT][To:1][/QT]"), Ids{1});
  EXPECT_EQ(mentioned("[qt][To:1][/QT][To:2]"), Ids{});
}

TEST(MessageMarkupTest, ToInsideCodeDoesNotCount) {
  const Mentions mentions = find_mentions("[code][To:1][rp aid=2][toall][/code][To:3]");
  EXPECT_EQ(ids_of(mentions), Ids{3});
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, NestedCodeIsLiteralAndFirstCloseEndsCode) {
  EXPECT_EQ(mentioned("[code][code][To:1][/code][To:2][/code][To:3]"), (Ids{2, 3}));
}

TEST(MessageMarkupTest, QuoteTagsInsideCodeAreLiteral) {
  // The [qt] inside code must not open a quote, or [To:2] would be hidden.
  EXPECT_EQ(mentioned("[code][qt][/code][To:2]"), Ids{2});
  // The [/qt] inside code must not close the surrounding quote.
  EXPECT_EQ(mentioned("[qt][code][/qt][/code][To:1][/qt][To:2]"), Ids{2});
}

TEST(MessageMarkupTest, CodeInsideQuoteStillHides) {
  EXPECT_EQ(mentioned("[qt][code][To:1][/code][To:2][/qt][To:3]"), Ids{3});
}

TEST(MessageMarkupTest, UnclosedCodeHidesTheRest) {
  const Mentions mentions = find_mentions("[To:1][code][To:2][toall]");
  EXPECT_EQ(ids_of(mentions), Ids{1});
  EXPECT_FALSE(mentions.to_all);
}

TEST(MessageMarkupTest, StrayCodeCloseIsPlainText) {
  EXPECT_EQ(mentioned("[/code][To:1]"), Ids{1});
}

TEST(MessageMarkupTest, CodeTagsAreCaseSensitive) {
  EXPECT_EQ(mentioned("[CODE][To:1][/CODE]"), Ids{1});
}

TEST(MessageMarkupTest, OtherTagsDoNotHideMentions) {
  EXPECT_EQ(mentioned("[info][title][To:1][/title][To:2][hr][/info][task aid=3][To:4][/task]"),
            (Ids{1, 2, 4}));
}

TEST(MessageMarkupTest, MultibyteTextAroundTagsIsSkipped) {
  EXPECT_EQ(mentioned("こんにちは[To:12]山田さん、[rp aid=34 to=5-6]了解です🎉[toall]"),
            (Ids{12, 34}));
}

TEST(MessageMarkupTest, InvalidUtf8DoesNotCrash) {
  const std::string body = std::string("\xff\xfe[To:5]\xc0") + '\0' + "[To:6]\x80";
  EXPECT_EQ(mentioned(body), (Ids{5, 6}));
}

// Hostile inputs: a body may be 65,535 code points of anything.
constexpr std::size_t kHostileBytes = std::size_t{4} * 65535;  // 65,535 four-byte characters

TEST(MessageMarkupTest, ThousandsOfDistinctMentionsAreAllCollected) {
  std::string body;
  for (int i = 1; i <= 10'000; ++i) {
    body += "[To:" + std::to_string(i) + "]";
  }
  const Mentions mentions = find_mentions(body);
  ASSERT_EQ(mentions.account_ids.size(), 10'000U);
  EXPECT_EQ(mentions.account_ids.front().value, 1);
  EXPECT_EQ(mentions.account_ids.back().value, 10'000);
}

TEST(MessageMarkupTest, ThousandsOfRepeatedMentionsCollapse) {
  std::string body;
  for (int i = 0; i < 10'000; ++i) {
    body += "[To:42][rp aid=42 to=1-1][toall]";
  }
  const Mentions mentions = find_mentions(body);
  EXPECT_EQ(ids_of(mentions), Ids{42});
  EXPECT_TRUE(mentions.to_all);
}

TEST(MessageMarkupTest, DeepQuoteNestingDoesNotOverflowTheStack) {
  std::string body;
  while (body.size() < kHostileBytes / 2) {
    body += "[qt]";
  }
  body += "[To:1]";
  const std::size_t depth = body.size() / 4;
  for (std::size_t i = 0; i < depth; ++i) {
    body += "[/qt]";
  }
  body += "[To:2]";
  EXPECT_EQ(mentioned(body), Ids{2});
}

TEST(MessageMarkupTest, ManyUnclosedQuotesStayQuiet) {
  std::string body;
  while (body.size() < kHostileBytes) {
    body += "[qt][To:1]";
  }
  EXPECT_EQ(mentioned(body), Ids{});
}

TEST(MessageMarkupTest, HostileInputsFinishInLinearTime) {
  std::vector<std::string> bodies;
  const auto repeat = [](std::string_view unit) {
    std::string body;
    while (body.size() < kHostileBytes) {
      body += unit;
    }
    return body;
  };
  bodies.push_back(repeat("["));
  bodies.push_back(repeat("[rp "));
  bodies.push_back(repeat("[rp aid=1 to="));
  bodies.push_back(repeat("[To:"));
  bodies.push_back(repeat("[To:1"));
  bodies.push_back(repeat("[code]"));
  bodies.push_back(repeat("[/code]"));
  bodies.push_back(repeat("[/qt]"));
  bodies.push_back(repeat("[qtmeta aid=1 "));
  bodies.push_back("[rp " + std::string(kHostileBytes, 'a') + "]");
  bodies.push_back("[rp aid=" + std::string(kHostileBytes, '1') + "]");
  bodies.push_back("[To:" + std::string(kHostileBytes, '9') + "]");
  bodies.push_back("[To:" + std::string(kHostileBytes, '0') + "1]");
  bodies.push_back("[code]" + repeat("[To:1]"));

  // Speed is the parser benchmark's business (timing never gates a test); here every hostile
  // body must parse without crashing and yield at most the one real mention.
  for (const std::string& body : bodies) {
    const Mentions mentions = find_mentions(body);
    EXPECT_LE(mentions.account_ids.size(), 1U);
  }
}

TEST(MessageMarkupTest, LongZeroPaddedIdIsStillParsed) {
  EXPECT_EQ(mentioned("[To:" + std::string(1000, '0') + "5]"), Ids{5});
}

}  // namespace
}  // namespace kaiwa::core
