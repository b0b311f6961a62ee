// Use cases of contacts: listing them, contact requests between accounts, and the direct chat
// every pair of contacts shares.
#pragma once

#include <vector>

#include "app/dependencies.h"
#include "core/account.h"
#include "core/result.h"

namespace kaiwa::app {

// Thread-safe (stateless beyond its dependencies).
class ContactService {
 public:
  explicit ContactService(Dependencies deps) : deps_(std::move(deps)) {}

  core::Result<std::vector<core::Contact>> list_contacts(core::AccountId caller);
  // Makes a and b contacts with a direct chat, without a request (administration). Idempotent.
  // Errors: kNotFound unknown account; kInvalidArgument a == b.
  core::Status add_contact(core::AccountId a, core::AccountId b);

  // Errors: kNotFound unknown target; kInvalidArgument self, already contacts, or pending
  // (each with its core::reason).
  core::Result<core::RequestId> send_request(core::AccountId caller, core::AccountId target,
                                             std::string_view message);
  // Sends a request to the account that signs in with email (ASCII case ignored). Succeeds alike
  // whether such an account exists, has a request from the caller pending, or gets one now, so
  // the answer is no oracle for which emails have accounts; it tells apart only what the caller
  // knows already: their own email, and a contact's.
  // Errors: kInvalidArgument not an email (invalid_email), the caller's own (contact_self), an
  // existing contact (contact_exists), or a message too long.
  core::Status send_request_to_email(core::AccountId caller, std::string_view email,
                                     std::string_view message);
  core::Result<std::vector<core::ContactRequest>> incoming_requests(core::AccountId caller);
  // Accepting makes the requester a contact; returns them with the new direct chat.
  // Errors: kNotFound unless the request is addressed to the caller.
  core::Result<core::Contact> accept_request(core::AccountId caller, core::RequestId request);
  core::Status reject_request(core::AccountId caller, core::RequestId request);

 private:
  Dependencies deps_;
};

}  // namespace kaiwa::app
