#include "app/search_service.h"

#include <algorithm>
#include <climits>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <rapidjson/document.h>

#include "core/limits.h"
#include "core/search_query.h"
#include "core/search_text.h"

namespace kaiwa::app {
namespace {

ports::IndexedMessage indexed(const core::Message& message) {
  return {message.id,        message.room_id,     message.account.id,
          message.send_time, message.update_time, core::searchable_text(message.body)};
}

std::int64_t int_member(const rapidjson::Value& object, const char* key) {
  const auto member = object.FindMember(key);
  return member != object.MemberEnd() && member->value.IsInt64() ? member->value.GetInt64() : 0;
}

// Message ids travel as decimal strings (event_payload.h).
core::MessageId message_id_of(const rapidjson::Value& payload) {
  const auto member = payload.FindMember("message_id");
  if (member == payload.MemberEnd() || !member->value.IsString()) {
    return core::MessageId(0);
  }
  try {
    return core::MessageId(std::stoll(member->value.GetString()));
  } catch (const std::exception&) {
    return core::MessageId(0);
  }
}

// message_created and message_updated carry the whole message (message_service.cc).
std::optional<ports::IndexedMessage> message_of(const core::Event& event,
                                                const rapidjson::Value& payload) {
  const auto body = payload.FindMember("body");
  const core::MessageId id = message_id_of(payload);
  if (body == payload.MemberEnd() || !body->value.IsString() || id.value == 0) {
    return std::nullopt;
  }
  return ports::IndexedMessage{
      id,
      event.room,
      core::AccountId(int_member(payload, "account_id")),
      int_member(payload, "send_time"),
      int_member(payload, "update_time"),
      core::searchable_text({body->value.GetString(), body->value.GetStringLength()})};
}

core::Status validate(const SearchParams& params) {
  if (params.limit < 1 || params.limit > SearchParams::kMaxLimit) {
    return core::Error::invalid_argument("limit must be between 1 and 100");
  }
  if (params.offset > SearchParams::kMaxOffset) {
    return core::Error::invalid_argument("offset must be at most 10000");
  }
  if (params.rooms.size() > core::kMaxIdsInList || params.senders.size() > core::kMaxIdsInList) {
    return core::Error::invalid_argument("at most 100 ids may be given");
  }
  if (params.time_from && params.time_to && *params.time_from > *params.time_to) {
    return core::Error::invalid_argument("time_from must not be after time_to")
        .because(core::reason::kSearchTimeRange);
  }
  return core::ok();
}

}  // namespace

core::Result<std::size_t> SearchService::index_step(std::size_t max_events) {
  KAIWA_ASSIGN_OR_RETURN(std::int64_t checkpoint, index_.checkpoint());
  KAIWA_ASSIGN_OR_RETURN(ports::EventLogBounds bounds, deps_.store.read([](ports::StoreTx& tx) {
    return tx.event_log_bounds();
  }));
  // Events before the log's retention are gone, and a never-built index has missed the messages
  // older than the log: both read the store itself. A store without messages (a new
  // deployment) has nothing the log would not replay.
  bool rebuild_needed = checkpoint < bounds.pruned_through;
  if (!checked_built_ && checkpoint == 0 && !rebuild_needed) {
    KAIWA_ASSIGN_OR_RETURN(std::vector<core::Message> any, deps_.store.read([](ports::StoreTx& tx) {
      return tx.list_all_messages_after(core::MessageId(0), 1);
    }));
    rebuild_needed = !any.empty();
  }
  checked_built_ = true;
  if (rebuild_needed) {
    KAIWA_ASSIGN_OR_RETURN(std::int64_t rebuilt, rebuild());
    static_cast<void>(rebuilt);
    return std::size_t{1};
  }
  if (checkpoint >= bounds.head) {
    return std::size_t{0};
  }
  KAIWA_ASSIGN_OR_RETURN(std::vector<core::Event> events, deps_.store.read([&](ports::StoreTx& tx) {
    return tx.read_events(checkpoint, max_events);
  }));
  if (events.empty()) {
    return std::size_t{0};
  }
  KAIWA_ASSIGN_OR_RETURN(std::vector<ports::IndexChange> changes, changes_of(events));
  KAIWA_TRY(index_.apply(changes, events.back().pos));
  return events.size();
}

core::Result<std::vector<ports::IndexChange>> SearchService::changes_of(
    const std::vector<core::Event>& events) {
  std::vector<ports::IndexChange> changes;
  // Events written before messages carried their text: read the message as it is now.
  std::vector<std::pair<core::RoomId, core::MessageId>> to_read;
  for (const core::Event& event : events) {
    using Kind = ports::IndexChange::Kind;
    if (event.type == "room_deleted") {
      if (changes.empty() || changes.back().kind != Kind::kRemoveRoom ||
          changes.back().message.room != event.room) {
        changes.push_back({Kind::kRemoveRoom, ports::IndexedMessage{{}, event.room, {}, 0, 0, {}}});
      }
      continue;
    }
    const bool put = event.type == "message_created" || event.type == "message_updated";
    if (!put && event.type != "message_deleted") {
      continue;
    }
    rapidjson::Document payload;
    payload.Parse(event.payload_json.data(), event.payload_json.size());
    if (payload.HasParseError() || !payload.IsObject()) {
      continue;
    }
    if (!put) {
      changes.push_back({Kind::kRemoveMessage,
                         ports::IndexedMessage{message_id_of(payload), event.room, {}, 0, 0, {}}});
      continue;
    }
    if (auto message = message_of(event, payload)) {
      changes.push_back({Kind::kPut, std::move(*message)});
    } else if (const core::MessageId id = message_id_of(payload); id.value != 0) {
      to_read.emplace_back(event.room, id);
    }
  }
  if (to_read.empty()) {
    return changes;
  }
  KAIWA_TRY(deps_.store.run_read([&](ports::StoreTx& tx) -> core::Status {
    for (const auto& [room, id] : to_read) {
      KAIWA_ASSIGN_OR_RETURN(std::optional<core::Message> message, tx.find_message(room, id));
      if (message) {
        changes.push_back({ports::IndexChange::Kind::kPut, indexed(*message)});
      }
    }
    return core::ok();
  }));
  return changes;
}

core::Result<std::int64_t> SearchService::rebuild() {
  set_rebuilding(true);

  struct Done {
    SearchService& service;

    ~Done() { service.set_rebuilding(false); }
  } done{*this};

  KAIWA_ASSIGN_OR_RETURN(ports::EventLogBounds bounds, deps_.store.read([](ports::StoreTx& tx) {
    return tx.event_log_bounds();
  }));
  KAIWA_TRY(index_.start_rebuild());
  std::int64_t indexed_messages = 0;
  core::MessageId after;
  while (true) {
    KAIWA_ASSIGN_OR_RETURN(std::vector<core::Message> page,
                           deps_.store.read([&](ports::StoreTx& tx) {
                             return tx.list_all_messages_after(after, kRebuildPage);
                           }));
    if (page.empty()) {
      break;
    }
    std::vector<ports::IndexChange> changes;
    changes.reserve(page.size());
    for (const core::Message& message : page) {
      changes.push_back({ports::IndexChange::Kind::kPut, indexed(message)});
    }
    // Checkpoint 0 until the end: a rebuild cut short starts over.
    KAIWA_TRY(index_.apply(changes, 0));
    indexed_messages += static_cast<std::int64_t>(page.size());
    after = page.back().id;
  }
  KAIWA_TRY(index_.finish_rebuild(bounds.head));
  rebuilds_.fetch_add(1, std::memory_order_relaxed);
  return indexed_messages;
}

core::Status SearchService::request_rebuild(ports::Store& store, std::int64_t now_ms) {
  return store.run_write([&](ports::StoreTx& tx) {
    return tx.put_setting(kRebuildRequestedSetting, std::to_string(now_ms));
  });
}

core::Result<bool> SearchService::rebuild_if_requested() {
  std::optional<std::string> requested;
  std::optional<std::string> answered;
  KAIWA_TRY(deps_.store.run_read([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_ASSIGN_OR_RETURN(requested, tx.find_setting(kRebuildRequestedSetting));
    KAIWA_ASSIGN_OR_RETURN(answered, tx.find_setting(kRebuildAnsweredSetting));
    return core::ok();
  }));
  if (!requested || requested == answered) {
    return false;
  }
  KAIWA_ASSIGN_OR_RETURN(std::int64_t indexed_messages, rebuild());
  static_cast<void>(indexed_messages);
  KAIWA_TRY(deps_.store.run_write(
      [&](ports::StoreTx& tx) { return tx.put_setting(kRebuildAnsweredSetting, *requested); }));
  return true;
}

void SearchService::set_rebuilding(bool rebuilding) {
  std::unique_lock lock(rebuild_mutex_);
  rebuilding_ = rebuilding;
}

core::Result<IndexLag> SearchService::lag() {
  IndexLag lag;
  KAIWA_ASSIGN_OR_RETURN(lag.indexed_through, index_.checkpoint());
  KAIWA_TRY(deps_.store.run_read([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_ASSIGN_OR_RETURN(ports::EventLogBounds bounds, tx.event_log_bounds());
    lag.head = bounds.head;
    if (lag.head > lag.indexed_through) {
      KAIWA_ASSIGN_OR_RETURN(std::vector<core::Event> next, tx.read_events(lag.indexed_through, 1));
      lag.oldest_waiting_ms = next.empty() ? 0 : next.front().created_at_ms;
    }
    return core::ok();
  }));
  return lag;
}

core::Result<std::vector<core::RoomId>> SearchService::readable_rooms(
    core::AccountId caller, const std::vector<core::RoomId>& wanted) {
  KAIWA_ASSIGN_OR_RETURN(std::vector<core::RoomId> rooms, deps_.store.read([&](ports::StoreTx& tx) {
    return tx.list_rooms_joined_by(caller, LLONG_MAX);
  }));
  if (wanted.empty()) {
    return rooms;
  }
  const std::unordered_set<core::RoomId> member_of(rooms.begin(), rooms.end());
  std::vector<core::RoomId> readable;
  for (const core::RoomId room : wanted) {
    if (member_of.contains(room) &&
        std::find(readable.begin(), readable.end(), room) == readable.end()) {
      readable.push_back(room);
    }
  }
  return readable;
}

core::Result<SearchAnswer> SearchService::search(core::AccountId caller,
                                                 const SearchParams& params) {
  KAIWA_TRY(validate(params));
  KAIWA_ASSIGN_OR_RETURN(core::SearchQuery query, core::parse_search_query(params.query));
  std::shared_lock lock(rebuild_mutex_);
  if (rebuilding_) {
    return core::Error::unavailable("the search index is being rebuilt; try again shortly")
        .because(core::reason::kSearchRebuilding);
  }
  ports::SearchRequest request;
  request.query = std::move(query);
  KAIWA_ASSIGN_OR_RETURN(request.rooms, readable_rooms(caller, params.rooms));
  SearchAnswer answer;
  if (request.rooms.empty()) {
    return answer;
  }
  request.senders = params.senders;
  request.time_from = params.time_from;
  request.time_to = params.time_to;
  request.order = params.order;
  request.offset = params.offset;
  request.limit = params.limit;
  KAIWA_ASSIGN_OR_RETURN(ports::SearchResults results, index_.search(request));
  answer.total = results.total;
  answer.has_more = static_cast<std::int64_t>(params.offset + results.hits.size()) < results.total;
  // Names and avatars as they are now, not as they were when the message was indexed.
  std::unordered_map<core::AccountId, core::Account> senders;
  KAIWA_TRY(deps_.store.run_read([&](ports::StoreTx& tx) -> core::Status {
    for (const ports::SearchHit& hit : results.hits) {
      if (senders.contains(hit.sender)) {
        continue;
      }
      KAIWA_ASSIGN_OR_RETURN(std::optional<core::Account> account, tx.find_account(hit.sender));
      core::Account known;
      known.id = hit.sender;
      senders.emplace(hit.sender, account ? std::move(*account) : known);
    }
    return core::ok();
  }));
  for (ports::SearchHit& hit : results.hits) {
    const core::Account& sender = senders.at(hit.sender);
    answer.hits.push_back({std::move(hit), sender});
  }
  return answer;
}

}  // namespace kaiwa::app
