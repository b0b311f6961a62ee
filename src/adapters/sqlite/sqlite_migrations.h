// Versioned schema migrations of the embedded store, applied in order at start and by
// `kaiwa migrate`. Each migration only adds (expand/contract, design.md §7).
#pragma once

#include "adapters/sqlite/sqlite_connection.h"
#include "core/result.h"

namespace kaiwa::sqlite {

// The schema version this binary writes and understands.
int latest_schema_version();

// Applies every migration newer than the database's version, each in its own transaction.
// Errors: kConflict when the database is newer than this binary knows.
core::Status migrate(Connection& connection);

}  // namespace kaiwa::sqlite
