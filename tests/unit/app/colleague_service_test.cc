// Tests for ColleagueService against the real SQLite store and Groonga's NFKC normalizer: the
// caller's organization, filtered and paged.
#include "app/colleague_service.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/groonga/groonga_text_normalizer.h"
#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::fails_with;
using test::must;

class ColleagueServiceTest : public test::AppTestBase {
 protected:
  void SetUp() override {
    AppTestBase::SetUp();
    normalizer_ = must(groonga::GroongaTextNormalizer::open());
    colleagues_ = std::make_unique<ColleagueService>(app_.deps(), *normalizer_);
  }

  std::vector<std::string> names(core::AccountId caller, const ColleagueQuery& query,
                                 bool* has_more = nullptr) {
    const ColleaguePage page = must(colleagues_->list_colleagues(caller, query));
    if (has_more != nullptr) {
      *has_more = page.has_more;
    }
    std::vector<std::string> result;
    for (const core::Account& account : page.colleagues) {
      result.push_back(account.name);
    }
    return result;
  }

  std::unique_ptr<groonga::GroongaTextNormalizer> normalizer_;
  std::unique_ptr<ColleagueService> colleagues_;
};

TEST_F(ColleagueServiceTest, ListsTheOrganizationWithoutTheCallerByName) {
  EXPECT_EQ(names(alice_, {}), (std::vector<std::string>{"Bob", "Carol", "Dave"}));
  EXPECT_EQ(names(erin_, {}), std::vector<std::string>{});
}

TEST_F(ColleagueServiceTest, FiltersByNameOrEmailIgnoringWidthAndCase) {
  app_.create_account(org_, "ｶｲﾜ_Taro");
  app_.create_account(org_, "Ｈａｎａｋｏ");
  EXPECT_EQ(names(alice_, {"car"}), std::vector<std::string>{"Carol"});
  EXPECT_EQ(names(alice_, {"ＢＯＢ"}), std::vector<std::string>{"Bob"});
  EXPECT_EQ(names(alice_, {"カイワ"}), std::vector<std::string>{"ｶｲﾜ_Taro"});
  EXPECT_EQ(names(alice_, {"hanako"}), std::vector<std::string>{"Ｈａｎａｋｏ"});
  // Emails are Name-N@kaiwa.test: the domain matches everyone, an ideographic space is trimmed.
  EXPECT_EQ(names(alice_, {"\u3000kaiwa.TEST "}).size(), 5u);
  EXPECT_EQ(names(alice_, {"nobody"}), std::vector<std::string>{});
}

TEST_F(ColleagueServiceTest, PagesWithHasMore) {
  bool has_more = false;
  EXPECT_EQ(names(alice_, {"", 0, 2}, &has_more), (std::vector<std::string>{"Bob", "Carol"}));
  EXPECT_TRUE(has_more);
  EXPECT_EQ(names(alice_, {"", 2, 2}, &has_more), std::vector<std::string>{"Dave"});
  EXPECT_FALSE(has_more);
  EXPECT_TRUE(fails_with(colleagues_->list_colleagues(alice_, {"", 0, 0}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(colleagues_->list_colleagues(alice_, {std::string(101, 'a'), 0, 10}),
                         core::ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace kaiwa::app
