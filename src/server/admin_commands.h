// `kaiwa admin ...`: administration without a web client. Each command prints one JSON object on
// stdout and works whether or not a server runs on the same data directory.
#pragma once

#include <CLI/CLI.hpp>

#include "server/config.h"

namespace kaiwa::server {

// Adds the `admin` subcommand tree to app; commands run when app parses them.
void add_admin_commands(CLI::App& app, Config& config);

}  // namespace kaiwa::server
