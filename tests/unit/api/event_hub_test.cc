// Tests for EventHub on the real store and use cases, with an in-memory channel standing in for
// the WebSocket: catch-up then live without gap or duplicate while writes continue, membership
// changes taking effect at their event, revocation, resync, and a channel that refuses more.
#include "api/kaiwa/event_hub.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/app_test_base.h"

namespace kaiwa::api::kaiwa {
namespace {

using test::must;

// Records what the hub sends, as the objects it framed (one string per item).
class RecordingChannel final : public edge::WebSocketChannel {
 public:
  bool send(std::span<const edge::SharedText> items) override {
    std::lock_guard lock(mutex_);
    if (closed_code_ != 0 || refuse_) {
      return false;
    }
    for (const auto& item : items) {
      items_.push_back(*item);
    }
    changed_.notify_all();
    return true;
  }

  void close(std::uint16_t code, std::string) override {
    std::lock_guard lock(mutex_);
    if (closed_code_ == 0) {
      closed_code_ = code;
    }
    changed_.notify_all();
  }

  std::size_t queued_bytes() const override { return 0; }

  void refuse_from_now() {
    std::lock_guard lock(mutex_);
    refuse_ = true;
  }

  // Waits until pred(items, closed_code) holds; false on timeout.
  template <typename Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return pred(items_, closed_code_); });
  }

  std::vector<std::string> items() const {
    std::lock_guard lock(mutex_);
    return items_;
  }

  std::uint16_t closed_code() const {
    std::lock_guard lock(mutex_);
    return closed_code_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> items_;
  std::uint16_t closed_code_ = 0;
  bool refuse_ = false;
};

std::int64_t pos_of(const std::string& item) {
  static const std::regex kPos(R"re("pos":(\d+))re");
  std::smatch match;
  return std::regex_search(item, match, kPos) ? std::stoll(match[1]) : -1;
}

bool is_type(const std::string& item, std::string_view type) {
  return item.find(R"("type":")" + std::string(type) + "\"") != std::string::npos;
}

std::size_t count_containing(const std::vector<std::string>& items, std::string_view text) {
  return static_cast<std::size_t>(std::count_if(items.begin(), items.end(), [&](const auto& item) {
    return item.find(text) != std::string::npos;
  }));
}

class EventHubTest : public test::AppTestBase {
 protected:
  void SetUp() override {
    AppTestBase::SetUp();
    EventHubOptions options;
    options.poll_interval = std::chrono::milliseconds(20);
    options.catch_up_page = 7;  // small pages, so catch-up takes several steps
    options.catch_up_bytes = 4000;
    hub_ = std::make_unique<EventHub>(app_.stream, options);
    ASSERT_TRUE(hub_->start());
    app_.store().set_commit_listener([this] { hub_->notify(); });
  }

  void TearDown() override {
    app_.store().set_commit_listener(nullptr);
    hub_->stop();
  }

  std::shared_ptr<RecordingChannel> open(core::AccountId account, std::optional<std::int64_t> since,
                                         std::string digest = "digest") {
    auto channel = std::make_shared<RecordingChannel>();
    hub_->attach(StreamRequest{app::StreamCredentials{account, std::move(digest)}, since, channel});
    return channel;
  }

  static bool ready(const std::vector<std::string>& items) {
    return std::any_of(items.begin(), items.end(),
                       [](const auto& i) { return is_type(i, "ready"); });
  }

  std::int64_t head() { return must(app_.stream.bounds()).head; }

  std::unique_ptr<EventHub> hub_;
};

TEST_F(EventHubTest, CatchUpThenLiveDeliversEveryMessageOnceInOrderWhileWritesContinue) {
  constexpr int kBefore = 30;
  constexpr int kDuring = 60;
  for (int i = 0; i < kBefore; ++i) {
    app_.post(alice_, room_, test::numbered("m", i, "."));
  }
  std::thread poster([&] {
    for (int i = kBefore; i < kBefore + kDuring; ++i) {
      app_.post(alice_, room_, test::numbered("m", i, "."));
    }
  });
  auto bob = open(bob_, 0);
  poster.join();
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) {
    return count_containing(items, "\"type\":\"message_created\"") >= kBefore + kDuring + 1;
  })) << "got "
      << bob->items().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // nothing extra may follow
  const auto items = bob->items();
  std::int64_t last = 0;
  for (const auto& item : items) {
    if (!is_type(item, "ready")) {
      EXPECT_GT(pos_of(item), last) << item;
      last = pos_of(item);
    }
  }
  for (int i = 0; i < kBefore + kDuring; ++i) {
    EXPECT_EQ(count_containing(items, test::numbered("\"body\":\"m", i, ".\"")), 1U) << i;
  }
  EXPECT_EQ(
      std::count_if(items.begin(), items.end(), [](const auto& i) { return is_type(i, "ready"); }),
      1);
}

TEST_F(EventHubTest, CatchUpOfLargeMessagesIsPagedByBytesAndLosesNothing) {
  constexpr int kMessages = 12;
  for (int i = 0; i < kMessages; ++i) {
    app_.post(alice_, room_, test::numbered("big", i, ":") + std::string(3000, 'x'));
  }
  auto bob = open(bob_, 0);
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) { return ready(items); }));
  const auto items = bob->items();
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(count_containing(items, test::numbered("\"body\":\"big", i, ":")), 1U) << i;
  }
}

TEST_F(EventHubTest, WithoutSinceOnlyNewEventsArrive) {
  app_.post(alice_, room_, "old");
  auto bob = open(bob_, std::nullopt);
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) { return ready(items); }));
  app_.post(alice_, room_, "new");
  ASSERT_TRUE(bob->wait_for(
      [](const auto& items, auto) { return count_containing(items, "\"new\"") == 1; }));
  EXPECT_EQ(count_containing(bob->items(), "\"old\""), 0U);
}

TEST_F(EventHubTest, JoiningStartsTheRoomAndLeavingStopsItAtTheirEvents) {
  auto dave = open(dave_, std::nullopt);
  ASSERT_TRUE(dave->wait_for([](const auto& items, auto) { return ready(items); }));
  app_.post(alice_, room_, "before join");
  must(app_.rooms.replace_members(alice_, room_,
                                  app::MemberLists{{alice_}, {bob_, dave_}, {carol_}}));
  app_.post(alice_, room_, "while member");
  must(app_.rooms.replace_members(alice_, room_, app::MemberLists{{alice_}, {bob_}, {carol_}}));
  app_.post(alice_, room_, "after removal");
  auto bob = open(bob_, std::nullopt);
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) { return ready(items); }));
  app_.post(alice_, room_, "marker");
  ASSERT_TRUE(bob->wait_for(
      [](const auto& items, auto) { return count_containing(items, "marker") == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto items = dave->items();
  EXPECT_EQ(count_containing(items, "before join"), 0U);
  EXPECT_EQ(count_containing(items, "while member"), 1U);
  EXPECT_EQ(count_containing(items, "\"type\":\"member_removed\""), 1U);
  EXPECT_EQ(count_containing(items, "after removal"), 0U);
  EXPECT_EQ(count_containing(items, "marker"), 0U);
}

TEST_F(EventHubTest, RevokingTheTokenClosesOnlyItsStreams) {
  const std::string token = must(app_.accounts.create_token(bob_));
  auto revoked = open(bob_, std::nullopt, app_.crypto().token_digest(token));
  auto other = open(bob_, std::nullopt, "another-token-digest");
  ASSERT_TRUE(revoked->wait_for([](const auto& items, auto) { return ready(items); }));
  ASSERT_TRUE(other->wait_for([](const auto& items, auto) { return ready(items); }));
  must(app_.accounts.revoke_token(token));
  ASSERT_TRUE(revoked->wait_for([](const auto&, auto code) { return code != 0; }));
  EXPECT_EQ(revoked->closed_code(), edge::close_code::kUnauthorized);
  EXPECT_EQ(other->closed_code(), 0);
  EXPECT_EQ(count_containing(other->items(), "token_revoked"), 0U);
}

TEST_F(EventHubTest, ASinceBeyondTheLogAsksForAResync) {
  auto bob = open(bob_, head() + 1000);
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) { return ready(items); }));
  const auto items = bob->items();
  ASSERT_GE(items.size(), 2U);
  EXPECT_TRUE(is_type(items[0], "resync"));
  EXPECT_EQ(pos_of(items[0]), head());
}

TEST_F(EventHubTest, AChannelThatRefusesGetsNothingMoreAndOthersCarryOn) {
  auto slow = open(bob_, std::nullopt);
  auto fine = open(carol_, std::nullopt);
  ASSERT_TRUE(slow->wait_for([](const auto& items, auto) { return ready(items); }));
  ASSERT_TRUE(fine->wait_for([](const auto& items, auto) { return ready(items); }));
  slow->refuse_from_now();
  app_.post(alice_, room_, "one");
  app_.post(alice_, room_, "two");
  ASSERT_TRUE(fine->wait_for(
      [](const auto& items, auto) { return count_containing(items, "\"two\"") == 1; }));
  EXPECT_EQ(count_containing(slow->items(), "\"one\""), 0U);
}

TEST_F(EventHubTest, DetachedStreamsAreForgotten) {
  auto bob = std::make_shared<RecordingChannel>();
  const auto id = hub_->attach(StreamRequest{app::StreamCredentials{bob_, "d"}, std::nullopt, bob});
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) { return ready(items); }));
  EXPECT_EQ(hub_->stream_count(), 1U);
  hub_->detach(id);
  EXPECT_EQ(hub_->stream_count(), 0U);
  app_.post(alice_, room_, "after detach");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(count_containing(bob->items(), "after detach"), 0U);
}

}  // namespace
}  // namespace kaiwa::api::kaiwa
