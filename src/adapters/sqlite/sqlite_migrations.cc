#include "adapters/sqlite/sqlite_migrations.h"

#include <array>
#include <string>

namespace kaiwa::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Messages carry their room's seq so read state, unread counts and the fetch cursor are index
// ranges of one index, which also covers the deleted flag, so counting unread never touches the
// table. seq is unique by construction (the single writer bumps rooms.last_seq), so no second
// index enforces it: every index is a B-tree insert on the hot path.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  my_room_id INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  chatwork_id TEXT NOT NULL DEFAULT '',
  login_mail TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  introduction TEXT NOT NULL DEFAULT '',
  tel_organization TEXT NOT NULL DEFAULT '',
  tel_extension TEXT NOT NULL DEFAULT '',
  tel_mobile TEXT NOT NULL DEFAULT '',
  skype TEXT NOT NULL DEFAULT '',
  facebook TEXT NOT NULL DEFAULT '',
  twitter TEXT NOT NULL DEFAULT '',
  avatar_image_url TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX accounts_organization ON accounts(organization_id);
CREATE TABLE api_tokens (
  digest TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) WITHOUT ROWID;
CREATE TABLE contacts (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  contact_id INTEGER NOT NULL REFERENCES accounts(id),
  room_id INTEGER NOT NULL,
  PRIMARY KEY (account_id, contact_id)
) WITHOUT ROWID;
CREATE TABLE contact_requests (
  id INTEGER PRIMARY KEY,
  from_account_id INTEGER NOT NULL REFERENCES accounts(id),
  to_account_id INTEGER NOT NULL REFERENCES accounts(id),
  message TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (from_account_id, to_account_id)
);
CREATE INDEX contact_requests_to ON contact_requests(to_account_id, id);
CREATE TABLE rooms (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('my', 'direct', 'group')),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  icon_preset TEXT NOT NULL DEFAULT 'group',
  message_num INTEGER NOT NULL DEFAULT 0,
  file_num INTEGER NOT NULL DEFAULT 0,
  task_num INTEGER NOT NULL DEFAULT 0,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_update_time INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE memberships (
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'readonly')),
  read_seq INTEGER NOT NULL DEFAULT 0,
  fetched_seq INTEGER NOT NULL DEFAULT 0,
  sticky INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, account_id)
) WITHOUT ROWID;
CREATE INDEX memberships_account ON memberships(account_id, room_id);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  seq INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  body TEXT NOT NULL,
  send_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_room_seq ON messages(room_id, seq, deleted);
CREATE TABLE mentions (
  account_id INTEGER NOT NULL,
  room_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (account_id, room_id, seq)
) WITHOUT ROWID;
CREATE INDEX mentions_room_seq ON mentions(room_id, seq);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  message_id INTEGER NOT NULL,
  assignee_id INTEGER NOT NULL REFERENCES accounts(id),
  assigned_by_id INTEGER NOT NULL REFERENCES accounts(id),
  body TEXT NOT NULL,
  limit_time INTEGER NOT NULL DEFAULT 0,
  limit_type TEXT NOT NULL CHECK (limit_type IN ('none', 'date', 'time')),
  status TEXT NOT NULL CHECK (status IN ('open', 'done')),
  created_at INTEGER NOT NULL
);
CREATE INDEX tasks_room ON tasks(room_id, status, id);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status, id);
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  message_id INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  filename TEXT NOT NULL,
  filesize INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  upload_time INTEGER NOT NULL
);
CREATE INDEX files_room ON files(room_id, id);
CREATE TABLE room_links (
  room_id INTEGER PRIMARY KEY REFERENCES rooms(id),
  code TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  need_acceptance INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE events (
  pos INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  room_id INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
)sql";

// The event stream (issue 3): who sees an event, where each membership began, and the
// memberships that ended (until pruned), so a resume shows a member exactly the events it saw
// live: nothing from before it joined, everything up to its removal. Expand-only: version 1
// binaries ignore the new columns, and their rows read as "seen by the room's members".
constexpr const char* kEventAudience = R"sql(
ALTER TABLE events ADD COLUMN to_room_members INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN recipient_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN joined_pos INTEGER NOT NULL DEFAULT 0;
CREATE TABLE membership_history (
  room_id INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  joined_pos INTEGER NOT NULL,
  left_pos INTEGER NOT NULL,
  PRIMARY KEY (room_id, account_id, joined_pos)
) WITHOUT ROWID;
CREATE INDEX membership_history_account ON membership_history(account_id, left_pos);
)sql";

// Browser sign-in (issue 5): a session is a token like an API token, carried in a cookie, that
// expires. Expand-only: version 2 binaries ignore both columns (and would take a session token
// as an API token without expiry, which only a browser's HttpOnly cookie holds).
constexpr const char* kSessions = R"sql(
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
CREATE INDEX api_tokens_account ON api_tokens(account_id, kind);
)sql";

// Profile pictures (PUT /kaiwa/v1/me/avatar): the blob and its sniffed type; avatar_image_url
// holds the URL Kaiwa serves it at. No binary before this one set avatar_image_url, but one set
// by hand would name nothing Kaiwa serves, so it returns to the default (""). Expand-only:
// version 3 binaries ignore the new columns.
constexpr const char* kAvatars = R"sql(
ALTER TABLE accounts ADD COLUMN avatar_blob_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN avatar_content_type TEXT NOT NULL DEFAULT '';
UPDATE accounts SET avatar_image_url = '' WHERE avatar_image_url <> '';
)sql";

// Join requests (POST /kaiwa/v1/invitations/{code}/join on a link with need_acceptance): one
// pending request per room and account until an admin answers it, the link is removed or the
// room is deleted. AUTOINCREMENT: an id is never reused, so a late event about an answered
// request cannot be taken for a newer one. Expand-only: version 4 binaries ignore the table (their
// room deletes leave its rows behind, and version 5 treats a request of a missing room or link as
// gone).
constexpr const char* kJoinRequests = R"sql(
CREATE TABLE join_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  UNIQUE (room_id, account_id)
);
)sql";

// Contact requests by email (POST /kaiwa/v1/contact_requests): found ignoring ASCII case.
// Expand-only: version 5 binaries never read the index.
constexpr const char* kEmailLookup = R"sql(
CREATE INDEX accounts_login_mail_nocase ON accounts(login_mail COLLATE NOCASE);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kInitialSchema}, Migration{2, kEventAudience}, Migration{3, kSessions},
    Migration{4, kAvatars},       Migration{5, kJoinRequests},  Migration{6, kEmailLookup},
};

core::Result<int> current_version(Connection& connection) {
  KAIWA_TRY(
      connection.exec_script("CREATE TABLE IF NOT EXISTS schema_migrations ("
                             " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  auto statement = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!statement) {
    return statement.error();
  }
  auto row = (*statement)->step();
  if (!row) {
    return row.error();
  }
  int version = static_cast<int>((*statement)->int64(0));
  (*statement)->reset();
  return version;
}

}  // namespace

int latest_schema_version() { return kMigrations.back().version; }

core::Status migrate(Connection& connection) {
  auto version = current_version(connection);
  if (!version) {
    return version.error();
  }
  if (*version > latest_schema_version()) {
    return core::Error::conflict("database schema version " + std::to_string(*version) +
                                 " is newer than this binary knows (" +
                                 std::to_string(latest_schema_version()) + ")");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *version) {
      continue;
    }
    std::string script = std::string("BEGIN IMMEDIATE;\n") + migration.sql +
                         "\nINSERT INTO schema_migrations VALUES (" +
                         std::to_string(migration.version) + ", strftime('%s','now'));\nCOMMIT;";
    core::Status applied = connection.exec_script(script.c_str());
    if (!applied) {
      static_cast<void>(connection.exec_script("ROLLBACK"));
      return applied;
    }
  }
  return core::ok();
}

}  // namespace kaiwa::sqlite
