// The text of a message that search matches and snippets show (design.md §6): its body with
// Chatwork notation tags taken out, so "[To:123]" never makes "To" or "123" match.
#pragma once

#include <string>
#include <string_view>

namespace kaiwa::core {

// Replaces each notation tag ([To:N], [rp aid=N to=R-M], [toall], [qt], [qtmeta ...], [info],
// [title], [code], [hr], [picon:N], [piconname:N], [dtext:key], [task ...], [preview ...],
// [download:N] and their closing forms) with a space, keeping the text between tags: the
// quoted text of [qt], the text of [info] and [title], and the content of [code] verbatim (tags
// inside code are code). Anything that is not a well-formed known tag stays as text. Linear.
std::string searchable_text(std::string_view body);

}  // namespace kaiwa::core
