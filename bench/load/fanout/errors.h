#pragma once

#include <string>
#include <system_error>

namespace fanout {

// strerror's text without strerror's shared buffer (the loops run on several threads).
inline std::string errno_text(int error) { return std::generic_category().message(error); }

}  // namespace fanout
