// Commands go through grn_ctx_send in their URI form (groonga_query.h), the same text a Groonga
// HTTP server takes, so the cluster's HTTP adapter can share the schema, queries and parsing.
#include "adapters/groonga/groonga_search_index.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <system_error>

#include <fcntl.h>
#include <groonga.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/file.h>
#include <unistd.h>

#include "adapters/groonga/groonga_runtime.h"

namespace kaiwa::groonga {
namespace {

// Bumped when the schema below changes: an index of another version is rebuilt from the store.
// 3: room and sender refer to Rooms and Senders, keyed by the id as text (see create_schema).
constexpr std::int64_t kSchemaVersion = 3;
constexpr std::string_view kDatabaseFile = "messages.db";
constexpr std::string_view kLockFile = "lock";
// Present only while no process has the database open: its absence at open means the last
// process died with it open, so the lexicons may disagree with the stored messages.
constexpr std::string_view kCleanMarker = "closed-cleanly";
constexpr std::string_view kCheckpointKey = "events";
constexpr std::string_view kSchemaKey = "schema";
// Snippets: about 100 characters of the message, starting 20 before the first match.
constexpr std::size_t kSnippetChars = 100;
constexpr std::size_t kSnippetCharsBefore = 20;
// When Groonga's estimate of the words' hits exceeds this many times its estimate of the rooms'
// messages, the rooms are selected first and the words matched within them (see search()). The
// text estimate counts word positions, not messages, so it runs 3–5 × high for common words;
// measured on the benchmark's corpus, anything from 0.25 to 3 did about equally well.
constexpr double kRoomsFirstRatio = 2.0;

// The lexicon normalizes NFKC (width, case, compatibility forms) and treats the long-vowel mark
// and hyphen variants as one character (ｰ = ー = -), which Japanese users type interchangeably.
constexpr std::string_view kNormalizer =
    R"(NormalizerNFKC150("unify_hyphen_and_prolonged_sound_mark", true))";

std::string json_of_puts(std::span<const ports::IndexChange> puts) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  for (const ports::IndexChange& change : puts) {
    const ports::IndexedMessage& message = change.message;
    writer.StartObject();
    writer.Key("_key");
    writer.Int64(message.id.value);
    // Keys of Rooms and Senders, which are text (see create_schema).
    writer.Key("room");
    const std::string room = std::to_string(message.room.value);
    writer.String(room.data(), static_cast<rapidjson::SizeType>(room.size()));
    writer.Key("sender");
    const std::string sender = std::to_string(message.sender.value);
    writer.String(sender.data(), static_cast<rapidjson::SizeType>(sender.size()));
    writer.Key("send_time");
    writer.Int64(message.send_time);
    writer.Key("update_time");
    writer.Int64(message.update_time);
    writer.Key("body");
    writer.String(message.text.data(), static_cast<rapidjson::SizeType>(message.text.size()));
    writer.EndObject();
  }
  writer.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string filter_of(const ports::SearchRequest& request) {
  std::vector<std::int64_t> rooms;
  rooms.reserve(request.rooms.size());
  for (const core::RoomId room : request.rooms) {
    rooms.push_back(room.value);
  }
  std::string filter = in_keys("room", rooms);
  if (!request.senders.empty()) {
    std::vector<std::int64_t> senders;
    for (const core::AccountId sender : request.senders) {
      senders.push_back(sender.value);
    }
    filter += " && " + in_keys("sender", senders);
  }
  if (request.time_from) {
    filter += " && send_time >= " + std::to_string(*request.time_from);
  }
  if (request.time_to) {
    filter += " && send_time <= " + std::to_string(*request.time_to);
  }
  return filter;
}

core::Result<rapidjson::Document> parse_output(const std::string& output) {
  rapidjson::Document document;
  document.Parse(output.data(), output.size());
  if (document.HasParseError()) {
    return core::Error::unavailable("search engine answered something that is not JSON");
  }
  return document;
}

// A room or sender: the key of the Rooms or Senders record, the id as text.
std::optional<std::int64_t> id_of_key(const rapidjson::Value& value) {
  if (!value.IsString()) {
    return std::nullopt;
  }
  const char* begin = value.GetString();
  const char* end = begin + value.GetStringLength();
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, id);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return id;
}

ports::SearchHit hit_of(const rapidjson::Value& row, const SnippetMarker& marker) {
  ports::SearchHit hit;
  hit.id = core::MessageId(row[0].GetInt64());
  hit.room = core::RoomId(*id_of_key(row[1]));
  hit.sender = core::AccountId(*id_of_key(row[2]));
  hit.send_time = row[3].GetInt64();
  hit.update_time = row[4].GetInt64();
  hit.score = row[5].GetInt64();
  const std::string_view text(row[6].GetString(), row[6].GetStringLength());
  hit.snippet = snippet_around(text, marker.find(text), kSnippetCharsBefore, kSnippetChars);
  return hit;
}

bool is_valid_hit_row(const rapidjson::Value& row) {
  return row.IsArray() && row.Size() == 7 && row[0].IsInt64() && id_of_key(row[1]) &&
         id_of_key(row[2]) && row[3].IsInt64() && row[4].IsInt64() && row[5].IsInt64() &&
         row[6].IsString();
}

// The words a hit matched on: every alternative of every clause (never the excluded ones).
std::vector<std::string> wanted_words(const core::SearchQuery& query) {
  std::vector<std::string> words;
  for (const core::SearchClause& clause : query.required) {
    words.insert(words.end(), clause.alternatives.begin(), clause.alternatives.end());
  }
  return words;
}

// Groonga's estimate of how many messages contain the query's words: per clause the sum over its
// alternatives, and the smallest clause bounds the whole query. Each word's estimate comes from
// its tokens' posting lists (positions included), so it is an upper bound, and a loose one.
double text_estimate(grn_ctx* ctx, const core::SearchQuery& query) {
  grn_obj* index = grn_ctx_get(ctx, "Terms.messages_body", -1);
  if (index == nullptr) {
    return 0;
  }
  double smallest = -1;
  for (const core::SearchClause& clause : query.required) {
    double clause_size = 0;
    for (const std::string& word : clause.alternatives) {
      grn_search_optarg options{};
      options.mode = GRN_OP_EXACT;
      clause_size +=
          grn_ii_estimate_size_for_query(ctx, reinterpret_cast<grn_ii*>(index), word.data(),
                                         static_cast<unsigned int>(word.size()), &options);
    }
    smallest = smallest < 0 ? clause_size : std::min(smallest, clause_size);
  }
  return std::max(smallest, 0.0);
}

// Groonga's estimate of how many messages the rooms hold: the sizes of their posting lists.
double rooms_estimate(grn_ctx* ctx, const std::vector<core::RoomId>& rooms) {
  grn_obj* table = grn_ctx_get(ctx, "Rooms", -1);
  grn_obj* index = grn_ctx_get(ctx, "Rooms.messages_room", -1);
  if (table == nullptr || index == nullptr) {
    return 0;
  }
  double size = 0;
  for (const core::RoomId room : rooms) {
    const std::string key = std::to_string(room.value);
    const grn_id id = grn_table_get(ctx, table, key.data(), static_cast<unsigned int>(key.size()));
    if (id != GRN_ID_NIL) {
      size += grn_ii_estimate_size(ctx, reinterpret_cast<grn_ii*>(index), id);
    }
  }
  return size;
}

}  // namespace

// A context borrowed from the pool for one call.
class GroongaSearchIndex::ContextLease {
 public:
  explicit ContextLease(GroongaSearchIndex& index) : index_(index), ctx_(index.acquire_context()) {}

  ~ContextLease() {
    if (ctx_ != nullptr) {
      index_.release_context(ctx_);
    }
  }

  ContextLease(const ContextLease&) = delete;
  ContextLease& operator=(const ContextLease&) = delete;

  grn_ctx* get() const { return ctx_; }

 private:
  GroongaSearchIndex& index_;
  grn_ctx* ctx_;
};

core::Result<std::unique_ptr<GroongaSearchIndex>> GroongaSearchIndex::open(
    const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) {
    return core::Error::unavailable("cannot create search directory " + directory.string() + ": " +
                                    ec.message());
  }
  const std::string lock_path = (directory / kLockFile).string();
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) {
    return core::Error::unavailable("cannot open " + lock_path);
  }
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return core::Error::conflict("the search index in " + directory.string() +
                                 " is in use by another process");
  }
  if (!GroongaRuntime::acquire()) {
    ::close(lock_fd);
    return core::Error::unavailable("cannot initialize Groonga");
  }
  std::unique_ptr<GroongaSearchIndex> index(new GroongaSearchIndex(directory, lock_fd));
  KAIWA_TRY(index->open_database());
  return index;
}

GroongaSearchIndex::GroongaSearchIndex(std::filesystem::path directory, int lock_fd)
    : directory_(std::move(directory)), lock_fd_(lock_fd) {}

GroongaSearchIndex::~GroongaSearchIndex() {
  {
    std::lock_guard lock(contexts_mutex_);
    for (grn_ctx* ctx : idle_contexts_) {
      grn_ctx_close(ctx);
    }
    idle_contexts_.clear();
  }
  if (db_ != nullptr) {
    const bool flushed = grn_obj_flush_recursive(owner_, db_) == GRN_SUCCESS;
    // The database object goes before grn_fin, or grn_fin crashes (design.md §6).
    grn_obj_close(owner_, db_);
    if (flushed) {
      std::ofstream(directory_ / kCleanMarker).put('\n');
    }
  }
  if (owner_ != nullptr) {
    grn_ctx_close(owner_);
  }
  GroongaRuntime::release();
  ::close(lock_fd_);
}

core::Status GroongaSearchIndex::open_database() {
  owner_ = grn_ctx_open(0);
  if (owner_ == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  const std::string path = (directory_ / kDatabaseFile).string();
  const bool existed = std::filesystem::exists(path);
  const bool closed_cleanly = std::filesystem::exists(directory_ / kCleanMarker);
  std::filesystem::remove(directory_ / kCleanMarker);

  if (existed) {
    db_ = grn_db_open(owner_, path.c_str());
    if (db_ != nullptr && !closed_cleanly) {
      report_.recovered = true;
      if (!recover()) {
        grn_obj_close(owner_, db_);
        db_ = nullptr;
      }
    }
    if (db_ != nullptr) {
      auto version = read_checkpoint_row(owner_, kSchemaKey);
      if (!version || *version != kSchemaVersion) {
        grn_obj_close(owner_, db_);
        db_ = nullptr;
      }
    }
    if (db_ != nullptr) {
      return core::ok();
    }
    // Unusable or of another schema: the store holds every message, so start over.
    report_.recreated = true;
    for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
      if (entry.path().filename().string().starts_with(kDatabaseFile)) {
        std::filesystem::remove(entry.path());
      }
    }
  }
  db_ = grn_db_create(owner_, path.c_str(), nullptr);
  if (db_ == nullptr) {
    return core::Error::unavailable("cannot create the search database " + path + ": " +
                                    owner_->errbuf);
  }
  return create_schema();
}

core::Status GroongaSearchIndex::create_schema() {
  const std::vector<std::pair<std::string_view, CommandParams>> commands = {
      // room and sender refer to records of Rooms and Senders rather than holding the id, so that
      // in_values() over them can skip the index when the words matched only a few messages: it
      // checks those few messages' rooms instead of reading every message of the user's rooms
      // from the Rooms index (which made rare words cost ~90 ms at 10 M messages). Groonga does
      // that only for a reference column, and looks the values up by their bytes, uncast: an
      // integer literal under 2^31 is an Int32 and never equals an Int64 key, so the keys are the
      // ids written as text, and filters quote them (in_keys).
      {"table_create", {{"name", "Rooms"}, {"flags", "TABLE_HASH_KEY"}, {"key_type", "ShortText"}}},
      {"table_create",
       {{"name", "Senders"}, {"flags", "TABLE_HASH_KEY"}, {"key_type", "ShortText"}}},
      {"table_create", {{"name", "Messages"}, {"flags", "TABLE_HASH_KEY"}, {"key_type", "Int64"}}},
      {"column_create",
       {{"table", "Messages"}, {"name", "room"}, {"flags", "COLUMN_SCALAR"}, {"type", "Rooms"}}},
      {"column_create",
       {{"table", "Messages"},
        {"name", "sender"},
        {"flags", "COLUMN_SCALAR"},
        {"type", "Senders"}}},
      {"column_create",
       {{"table", "Messages"},
        {"name", "send_time"},
        {"flags", "COLUMN_SCALAR"},
        {"type", "Int64"}}},
      {"column_create",
       {{"table", "Messages"},
        {"name", "update_time"},
        {"flags", "COLUMN_SCALAR"},
        {"type", "Int64"}}},
      {"column_create",
       {{"table", "Messages"}, {"name", "body"}, {"flags", "COLUMN_SCALAR"}, {"type", "LongText"}}},
      {"table_create",
       {{"name", "Checkpoints"}, {"flags", "TABLE_HASH_KEY"}, {"key_type", "ShortText"}}},
      {"column_create",
       {{"table", "Checkpoints"}, {"name", "pos"}, {"flags", "COLUMN_SCALAR"}, {"type", "Int64"}}},
  };
  for (const auto& [name, params] : commands) {
    KAIWA_TRY(run(owner_, name, params));
  }
  KAIWA_TRY(create_lexicons(owner_));
  return put_checkpoint(owner_, 0);
}

core::Status GroongaSearchIndex::drop_lexicons(grn_ctx* ctx) {
  // Rooms and Senders hold the values of Messages' columns; only their index columns go.
  for (const std::string_view column : {"Rooms.messages_room", "Senders.messages_sender"}) {
    KAIWA_ASSIGN_OR_RETURN(std::string exists,
                           run(ctx, "object_exist", {{"name", std::string(column)}}));
    if (exists == "true") {
      const std::size_t dot = column.find('.');
      KAIWA_TRY(run(ctx, "column_remove",
                    {{"table", std::string(column.substr(0, dot))},
                     {"name", std::string(column.substr(dot + 1))}}));
    }
  }
  for (const std::string_view table : {"Terms", "Times"}) {
    KAIWA_ASSIGN_OR_RETURN(std::string exists,
                           run(ctx, "object_exist", {{"name", std::string(table)}}));
    if (exists == "true") {
      KAIWA_TRY(run(ctx, "table_remove", {{"name", std::string(table)}}));
    }
  }
  return core::ok();
}

core::Status GroongaSearchIndex::create_lexicons(grn_ctx* ctx) {
  const std::vector<std::pair<std::string_view, CommandParams>> commands = {
      {"table_create",
       {{"name", "Terms"},
        {"flags", "TABLE_PAT_KEY"},
        {"key_type", "ShortText"},
        // Symbols are bigrams too, like kana and kanji, so "(注意)" is found after "【重要】";
        // letters and digits stay whole words.
        {"default_tokenizer", "TokenBigramSplitSymbol"},
        {"normalizer", std::string(kNormalizer)}}},
      {"column_create",
       {{"table", "Terms"},
        {"name", "messages_body"},
        {"flags", "COLUMN_INDEX|WITH_POSITION"},
        {"type", "Messages"},
        {"source", "body"}}},
      {"column_create",
       {{"table", "Rooms"},
        {"name", "messages_room"},
        {"flags", "COLUMN_INDEX"},
        {"type", "Messages"},
        {"source", "room"}}},
      {"column_create",
       {{"table", "Senders"},
        {"name", "messages_sender"},
        {"flags", "COLUMN_INDEX"},
        {"type", "Messages"},
        {"source", "sender"}}},
      {"table_create", {{"name", "Times"}, {"flags", "TABLE_PAT_KEY"}, {"key_type", "Int64"}}},
      {"column_create",
       {{"table", "Times"},
        {"name", "messages_send_time"},
        {"flags", "COLUMN_INDEX"},
        {"type", "Messages"},
        {"source", "send_time"}}},
  };
  for (const auto& [name, params] : commands) {
    KAIWA_TRY(run(ctx, name, params));
  }
  return core::ok();
}

core::Status GroongaSearchIndex::recover() {
  // A process that died inside a write left its locks behind, and perhaps a lexicon that
  // disagrees with the stored rows; the replay from the checkpoint rewrites every message
  // changed since, over lexicons rebuilt from what is stored.
  if (grn_obj_clear_lock(owner_, db_) != GRN_SUCCESS) {
    return core::Error::unavailable("cannot clear the search database's locks");
  }
  KAIWA_TRY(drop_lexicons(owner_));
  return create_lexicons(owner_);
}

core::Result<std::string> GroongaSearchIndex::run(grn_ctx* ctx, std::string_view name,
                                                  const CommandParams& params) {
  const std::string uri = command_uri(name, params);
  ctx->rc = GRN_SUCCESS;
  ctx->errbuf[0] = '\0';
  grn_ctx_send(ctx, uri.data(), static_cast<unsigned int>(uri.size()), 0);
  const grn_rc rc = ctx->rc;
  const std::string error = ctx->errbuf;
  char* output = nullptr;
  unsigned int length = 0;
  int flags = 0;
  grn_ctx_recv(ctx, &output, &length, &flags);
  if (rc == GRN_SYNTAX_ERROR || rc == GRN_INVALID_ARGUMENT) {
    return core::Error::invalid_argument("the search engine rejected the query: " + error);
  }
  if (rc != GRN_SUCCESS) {
    return core::Error::unavailable("search engine error in " + std::string(name) + ": " + error);
  }
  return std::string(output == nullptr ? "" : output, length);
}

core::Result<std::string> GroongaSearchIndex::run(std::string_view name,
                                                  const CommandParams& params) {
  ContextLease lease(*this);
  if (lease.get() == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  return run(lease.get(), name, params);
}

grn_ctx* GroongaSearchIndex::acquire_context() {
  {
    std::lock_guard lock(contexts_mutex_);
    if (!idle_contexts_.empty()) {
      grn_ctx* ctx = idle_contexts_.back();
      idle_contexts_.pop_back();
      return ctx;
    }
  }
  grn_ctx* ctx = grn_ctx_open(0);
  if (ctx != nullptr && grn_ctx_use(ctx, db_) != GRN_SUCCESS) {
    grn_ctx_close(ctx);
    return nullptr;
  }
  return ctx;
}

void GroongaSearchIndex::release_context(grn_ctx* ctx) {
  std::lock_guard lock(contexts_mutex_);
  idle_contexts_.push_back(ctx);
}

core::Result<std::int64_t> GroongaSearchIndex::checkpoint() {
  ContextLease lease(*this);
  if (lease.get() == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  return read_checkpoint_row(lease.get(), kCheckpointKey);
}

core::Result<std::int64_t> GroongaSearchIndex::read_checkpoint_row(grn_ctx* ctx,
                                                                   std::string_view key) {
  KAIWA_ASSIGN_OR_RETURN(std::string output, run(ctx, "select",
                                                 {{"table", "Checkpoints"},
                                                  {"filter", "_key == " + quote_phrase(key)},
                                                  {"output_columns", "pos"},
                                                  {"cache", "no"}}));
  KAIWA_ASSIGN_OR_RETURN(rapidjson::Document document, parse_output(output));
  // [[[n], [["pos", "Int64"]], [pos]]]; no row yet reads as 0.
  if (!document.IsArray() || document.Empty() || !document[0].IsArray() || document[0].Size() < 3 ||
      !document[0][2].IsArray() || document[0][2].Empty() || !document[0][2][0].IsInt64()) {
    return std::int64_t{0};
  }
  return document[0][2][0].GetInt64();
}

core::Status GroongaSearchIndex::put_checkpoint(grn_ctx* ctx, std::int64_t pos) {
  const std::string values = R"([{"_key":")" + std::string(kCheckpointKey) + R"(","pos":)" +
                             std::to_string(pos) + R"(},{"_key":")" + std::string(kSchemaKey) +
                             R"(","pos":)" + std::to_string(kSchemaVersion) + "}]";
  KAIWA_TRY(run(ctx, "load", {{"table", "Checkpoints"}, {"values", values}}));
  return core::ok();
}

core::Status GroongaSearchIndex::load_messages(grn_ctx* ctx,
                                               std::span<const ports::IndexChange> puts) {
  KAIWA_ASSIGN_OR_RETURN(std::string loaded,
                         run(ctx, "load", {{"table", "Messages"}, {"values", json_of_puts(puts)}}));
  if (loaded != std::to_string(puts.size())) {
    return core::Error::unavailable("the search engine loaded " + loaded + " of " +
                                    std::to_string(puts.size()) + " messages");
  }
  return core::ok();
}

core::Status GroongaSearchIndex::apply(std::span<const ports::IndexChange> changes,
                                       std::int64_t through_pos) {
  std::lock_guard write_lock(write_mutex_);
  ContextLease lease(*this);
  if (lease.get() == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  using Kind = ports::IndexChange::Kind;
  std::size_t pos = 0;
  while (pos < changes.size()) {
    const Kind kind = changes[pos].kind;
    std::size_t end = pos + 1;
    while (end < changes.size() && changes[end].kind == kind) {
      ++end;
    }
    const auto run_of_changes = changes.subspan(pos, end - pos);
    if (kind == Kind::kPut) {
      KAIWA_TRY(load_messages(lease.get(), run_of_changes));
    } else if (kind == Kind::kRemoveMessage) {
      // By key: a hash lookup each (a filter on _key would scan the table). An id that is not
      // there answers false, which is fine: the change is already in effect.
      for (const ports::IndexChange& change : run_of_changes) {
        KAIWA_TRY(run(lease.get(), "delete",
                      {{"table", "Messages"}, {"key", std::to_string(change.message.id.value)}}));
      }
    } else {
      // The Rooms index answers the filter without a scan.
      std::vector<std::int64_t> rooms;
      for (const ports::IndexChange& change : run_of_changes) {
        rooms.push_back(change.message.room.value);
      }
      KAIWA_TRY(
          run(lease.get(), "delete", {{"table", "Messages"}, {"filter", in_keys("room", rooms)}}));
    }
    pos = end;
  }
  return put_checkpoint(lease.get(), through_pos);
}

core::Result<ports::SearchResults> GroongaSearchIndex::search(const ports::SearchRequest& request) {
  if (request.rooms.empty()) {
    return ports::SearchResults{};
  }
  ContextLease lease(*this);
  if (lease.get() == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  const bool newest = request.order == ports::SearchOrder::kNewest;
  // Groonga evaluates --query before --filter, and each condition over the result of the ones
  // before it. Words first suits words rarer than the rooms' messages: in_values() then checks
  // the few hits' rooms. For common words (お願いします, 確認) the match is the cost, and it is
  // cheaper ANDed into the rooms' messages than over the whole index (1.3–2 × at 1 M messages):
  // then the filter selects the rooms first and matches the words itself. Same hits and scores.
  const bool rooms_first = !request.query.required.empty() &&
                           text_estimate(lease.get(), request.query) >
                               kRoomsFirstRatio * rooms_estimate(lease.get(), request.rooms);
  CommandParams params = {{"table", "Messages"}};
  if (rooms_first) {
    params.emplace_back("filter",
                        filter_of(request) + " && " + to_filter_syntax(request.query, "body"));
  } else {
    params.emplace_back("match_columns", "body");
    params.emplace_back("query", to_query_syntax(request.query));
    // Only the query syntax's operators; never pragmas, column names or updates.
    params.emplace_back("query_flags", "NONE");
    params.emplace_back("filter", filter_of(request));
  }
  // No retry as a prefix search when a word has no exact hit: results must not depend on
  // whether some other message happens to contain the word.
  params.emplace_back("match_escalation_threshold", "-1");
  params.emplace_back("sort_keys", newest ? "-send_time,-_key" : "-_score,-send_time,-_key");
  params.emplace_back("output_columns", "_key,room,sender,send_time,update_time,_score,body");
  params.emplace_back("offset", std::to_string(request.offset));
  params.emplace_back("limit", std::to_string(request.limit));
  params.emplace_back("cache", "no");
  KAIWA_ASSIGN_OR_RETURN(std::string output, run(lease.get(), "select", params));
  KAIWA_ASSIGN_OR_RETURN(rapidjson::Document document, parse_output(output));
  // [[[total], [[column, type], ...], row, ...]]
  if (!document.IsArray() || document.Empty() || !document[0].IsArray() || document[0].Empty() ||
      !document[0][0].IsArray() || !document[0][0][0].IsInt64()) {
    return core::Error::unavailable("unexpected search engine answer");
  }
  const rapidjson::Value& result_set = document[0];
  const SnippetMarker marker(lease.get(), grn_ctx_get(lease.get(), "Terms", 5),
                             wanted_words(request.query));
  ports::SearchResults results;
  results.total = result_set[0][0].GetInt64();
  for (rapidjson::SizeType i = 2; i < result_set.Size(); ++i) {
    if (!is_valid_hit_row(result_set[i])) {
      return core::Error::unavailable("unexpected search engine row");
    }
    results.hits.push_back(hit_of(result_set[i], marker));
  }
  return results;
}

core::Status GroongaSearchIndex::start_rebuild() {
  std::lock_guard write_lock(write_mutex_);
  ContextLease lease(*this);
  if (lease.get() == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  KAIWA_TRY(drop_lexicons(lease.get()));
  KAIWA_TRY(run(lease.get(), "truncate", {{"target_name", "Messages"}}));
  return put_checkpoint(lease.get(), 0);
}

core::Status GroongaSearchIndex::finish_rebuild(std::int64_t through_pos) {
  std::lock_guard write_lock(write_mutex_);
  ContextLease lease(*this);
  if (lease.get() == nullptr) {
    return core::Error::unavailable("cannot create a Groonga context");
  }
  KAIWA_TRY(create_lexicons(lease.get()));
  return put_checkpoint(lease.get(), through_pos);
}

}  // namespace kaiwa::groonga
