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
    restart_hub(options());
  }

  static EventHubOptions options() {
    EventHubOptions options;
    options.poll_interval = std::chrono::milliseconds(20);
    options.catch_up_page = 7;  // small pages, so catch-up takes several steps
    options.catch_up_bytes = 4000;
    return options;
  }

  void restart_hub(const EventHubOptions& options) {
    app_.store().set_commit_listener(nullptr);
    if (hub_) {
      hub_->stop();
    }
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

// Positions of the events (not notices) a stream received, in order.
std::vector<std::int64_t> event_positions(const std::vector<std::string>& items) {
  std::vector<std::int64_t> positions;
  for (const auto& item : items) {
    if (!is_type(item, "ready") && !is_type(item, "resync")) {
      positions.push_back(pos_of(item));
    }
  }
  return positions;
}

// Catch-up from the hub's memory must select exactly what the log selects: every visibility
// rule (joins, removals, leaving, deleted rooms, personal events) on one history.
TEST_F(EventHubTest, CatchUpFromMemoryMatchesCatchUpFromTheLog) {
  const std::int64_t from = head();  // the hub started here, so everything after is in memory
  app_.post(alice_, room_, "one");
  must(app_.messages.mark_read(bob_, room_, std::nullopt));
  must(app_.rooms.replace_members(alice_, room_,
                                  app::MemberLists{{alice_}, {bob_, dave_}, {carol_}}));
  app_.post(bob_, room_, "two");
  must(app_.rooms.replace_members(alice_, room_, app::MemberLists{{alice_}, {dave_}, {carol_}}));
  app_.post(alice_, room_, "three");
  must(app_.rooms.leave_or_delete(carol_, room_, app::LeaveAction::kLeave));
  const core::RoomId other = app_.create_group(alice_, {bob_, dave_});
  app_.post(dave_, other, "four");
  must(app_.contacts.send_request(alice_, erin_, "hello"));
  must(app_.rooms.leave_or_delete(alice_, other, app::LeaveAction::kDelete));
  must(app_.rooms.replace_members(alice_, room_, app::MemberLists{{alice_}, {dave_, bob_}, {}}));
  app_.post(alice_, room_, "five");
  const std::int64_t to = head();
  for (core::AccountId account : {alice_, bob_, carol_, dave_, erin_}) {
    auto stream = open(account, from);
    ASSERT_TRUE(stream->wait_for([](const auto& items, auto) { return ready(items); }));
    std::vector<std::int64_t> from_log;
    for (const core::Event& event : must(app_.stream.catch_up(account, from, to, 100000)).events) {
      if (!core::is_internal_event(event.type)) {
        from_log.push_back(event.pos);
      }
    }
    EXPECT_FALSE(from_log.empty());
    EXPECT_EQ(event_positions(stream->items()), from_log) << "account " << account.value;
  }
}

TEST_F(EventHubTest, AStreamFromBeforeWhatMemoryHoldsReadsTheLogThenMemory) {
  EventHubOptions small = options();
  small.recent_events = 5;
  restart_hub(small);
  const std::int64_t from = head();
  constexpr int kMessages = 20;
  for (int i = 0; i < kMessages; ++i) {
    app_.post(alice_, room_, test::numbered("r", i, "."));
  }
  auto settled = open(carol_, std::nullopt);  // its ready means the hub has fanned out all
  ASSERT_TRUE(settled->wait_for([](const auto& items, auto) { return ready(items); }));
  auto bob = open(bob_, from);
  ASSERT_TRUE(bob->wait_for([](const auto& items, auto) { return ready(items); }));
  app_.post(alice_, room_, "live");
  ASSERT_TRUE(bob->wait_for(
      [](const auto& items, auto) { return count_containing(items, "\"live\"") == 1; }));
  const auto items = bob->items();
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(count_containing(items, test::numbered("\"body\":\"r", i, ".\"")), 1U) << i;
  }
  const auto positions = event_positions(items);
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
  EXPECT_EQ(std::adjacent_find(positions.begin(), positions.end()), positions.end());
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
