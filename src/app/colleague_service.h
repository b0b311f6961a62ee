// Use case of the colleague directory: the people of the caller's own organization, whom the
// caller may add to a group chat without being their contact (GET /kaiwa/v1/colleagues).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "app/dependencies.h"
#include "core/account.h"
#include "core/result.h"
#include "ports/text_normalizer.h"

namespace kaiwa::app {

struct ColleagueQuery {
  static constexpr std::size_t kMaxLimit = 100;
  static constexpr std::size_t kMaxQueryChars = 100;

  // Matches a colleague whose name or login email contains it, compared NFKC and case-folded;
  // empty: everyone.
  std::string query;
  std::size_t offset = 0;
  std::size_t limit = 50;
};

struct ColleaguePage {
  std::vector<core::Account> colleagues;
  // Matches after this page (offset + limit).
  bool has_more = false;
};

// Thread-safe (stateless beyond its dependencies).
class ColleagueService {
 public:
  ColleagueService(Dependencies deps, const ports::TextNormalizer& normalizer)
      : deps_(std::move(deps)), normalizer_(normalizer) {}

  // The caller's organization without the caller, by name then id.
  // Errors: kInvalidArgument a query over 100 characters or not UTF-8, limit outside 1..100;
  // kNotFound the caller's account is gone.
  core::Result<ColleaguePage> list_colleagues(core::AccountId caller, const ColleagueQuery& query);

 private:
  Dependencies deps_;
  const ports::TextNormalizer& normalizer_;
};

}  // namespace kaiwa::app
