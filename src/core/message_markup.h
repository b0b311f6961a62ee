// Chatwork message notation analysis (api notes §7): which accounts a body mentions, for the
// mention counters and the mention_to_me webhook. Bodies are stored verbatim; this only reads.
#pragma once

#include <string_view>
#include <vector>

#include "core/ids.h"

namespace kaiwa::core {

struct Mentions {
  // Accounts named by [To:X] or [rp aid=X ...], de-duplicated, in order of first appearance.
  std::vector<AccountId> account_ids;
  // [toall] was present: every member except the sender is mentioned.
  bool to_all = false;
};

// Finds [To:X], [rp aid=X ...] and [toall] outside [qt]...[/qt] (which may nest) and outside
// [code]...[/code] (whose content is literal up to the first [/code]). Tag names are
// case-sensitive, as in Chatwork. Ids must be positive int64; anything malformed is plain text.
// An unclosed [qt] or [code] swallows the rest of the body, so a broken quote never notifies.
// The author is not removed here: the caller knows who posted and drops them.
// Runs in linear time and constant stack on any input.
Mentions find_mentions(std::string_view body);

}  // namespace kaiwa::core
