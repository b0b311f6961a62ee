// The one place where an Error becomes an HTTP status and Chatwork's {"errors":[...]} body
// (conventions.md, error-handling rule 3).
#pragma once

#include <string_view>

#include "core/error.h"
#include "edge/http_types.h"

namespace kaiwa::api::chatwork {

// Carries an error's machine-readable code (core::reason) beside the body.
inline constexpr std::string_view kErrorCodeHeader = "X-Kaiwa-Error-Code";

int http_status(core::ErrorCode code);
// /v2: Chatwork's body exactly; a reason, when the error has one, only in kErrorCodeHeader.
edge::HttpResponse error_response(const core::Error& error);
edge::HttpResponse error_response(int status, std::string_view message);
// /kaiwa/v1: {"errors":[message],"code":code}, code being the reason or, without one, the
// ErrorCode's name (invalid_argument, not_found, ...); the header carries the same code.
edge::HttpResponse kaiwa_error_response(const core::Error& error);
std::string_view error_code_name(const core::Error& error);

}  // namespace kaiwa::api::chatwork
