#include "app/colleague_service.h"

#include "core/validation.h"

namespace kaiwa::app {

core::Result<ColleaguePage> ColleagueService::list_colleagues(core::AccountId caller,
                                                              const ColleagueQuery& query) {
  KAIWA_TRY(core::validate_text("q", query.query, 0, ColleagueQuery::kMaxQueryChars));
  if (query.limit < 1 || query.limit > ColleagueQuery::kMaxLimit) {
    return core::Error::invalid_argument("Parameter 'limit' must be between 1 and 100");
  }
  KAIWA_ASSIGN_OR_RETURN(
      std::vector<core::Account> everyone,
      deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::Account>> {
        KAIWA_ASSIGN_OR_RETURN(auto me, tx.find_account(caller));
        if (!me) {
          return core::Error::not_found("Account not found");
        }
        return tx.list_organization_accounts(me->organization_id, caller);
      }));
  // An organization is read whole and filtered here: NFKC is beyond SQL, and a directory of a
  // few thousand names folds in a few milliseconds.
  // NFKC turns an ideographic space into a plain one, so trimming after it catches both.
  std::string needle = normalizer_.normalize(query.query);
  needle.erase(0, needle.find_first_not_of(' '));
  needle.erase(needle.find_last_not_of(' ') + 1);
  ColleaguePage page;
  std::size_t matched = 0;
  for (core::Account& account : everyone) {
    if (!needle.empty() && normalizer_.normalize(account.name).find(needle) == std::string::npos &&
        normalizer_.normalize(account.login_mail).find(needle) == std::string::npos) {
      continue;
    }
    if (matched++ < query.offset) {
      continue;
    }
    if (page.colleagues.size() == query.limit) {
      page.has_more = true;
      break;
    }
    page.colleagues.push_back(std::move(account));
  }
  return page;
}

}  // namespace kaiwa::app
