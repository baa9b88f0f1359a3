// The portal's state and events for a customer's other email addresses (the library's "Email
// addresses" section): the linked addresses, the address being added and its code, and what the
// last action brought. Part of core::State and core::Event (core_state.hpp); the transitions are
// in core_update_emails.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/core_api_emails.hpp"

namespace continuata::core {

struct EmailsState {
  bool open = false;                        // the section is shown (ToggleEmails)
  bool loaded = false, listing = false;     // GET /api/portal/emails
  bool sending = false, verifying = false;  // a code asked for / being checked
  std::string removing;                     // the address whose removal is in flight
  std::vector<LinkedEmail> list;            // the signed-in address first
  int64_t max = kMaxLinkedEmails;
  std::string new_email, code;  // what is typed
  std::string pending;          // the address the last code went to ("" = none)
  std::string notice;           // the section's status line, in plain words
  bool notice_is_error = false;
};

// Events
struct ToggleEmails {};
struct NewEmailEdited {
  std::string text;
};
struct SubmitNewEmail {};
struct EmailCodeEdited {
  std::string text;
};
struct SubmitEmailCode {};
struct RemoveEmail {
  std::string email;
};

}  // namespace continuata::core
