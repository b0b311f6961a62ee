// The one place where an Error becomes an HTTP status and Chatwork's {"errors":[...]} body
// (conventions.md, error-handling rule 3).
#pragma once

#include <string_view>

#include "core/error.h"
#include "edge/http_types.h"

namespace kaiwa::api::chatwork {

int http_status(core::ErrorCode code);
edge::HttpResponse error_response(const core::Error& error);
edge::HttpResponse error_response(int status, std::string_view message);

}  // namespace kaiwa::api::chatwork
