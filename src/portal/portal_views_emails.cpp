// The "Email addresses" section's widgets, in Tab order; what they mean is core's
// (core_update_emails), how they look is the library's (EmailsPen).
#include "portal/portal_views_emails.hpp"

#include "core/core_update_emails.hpp"

namespace continuata::portal {

void emails_toggle(const core::State& s, EmailsPen& pen) {
  std::string label = core::emails_button_text(s);
  pen.button("emails-toggle", label, label, core::ToggleEmails{}, true, false, false);
}

void emails_section(const core::State& s, EmailsPen& pen) {
  const core::EmailsState& e = s.emails;
  if (!e.open) return;
  const core::Text& t = *s.text;
  pen.spacing();
  pen.heading("emails-title", t("emails.title"));
  pen.text("emails-intro", t("emails.intro", {{"max", std::to_string(e.max)}}), Ink::Muted, "text");
  if (!e.loaded && e.listing) pen.text("emails-loading", t("emails.loading"), Ink::Muted, "status");
  for (size_t i = 0; i < e.list.size(); ++i) {
    const core::LinkedEmail& a = e.list[i];
    std::string id = "linked-" + std::to_string(i);
    if (a.current) {
      pen.text(id, t("emails.signed_in", {{"email", a.email}}), Ink::Text, "text");
      continue;
    }
    pen.text(id, a.email, Ink::Text, "text");
    bool removing = e.removing == a.email;
    pen.button("remove-" + std::to_string(i), t("emails.remove"),
               t("emails.remove_name", {{"email", a.email}}), core::RemoveEmail{a.email},
               e.removing.empty() && !removing, false, true);
  }
  pen.spacing();
  bool can_add = core::can_add_email(s) && !e.sending;
  bool enter = pen.field("new-email", t("emails.field"), "email", e.new_email,
                         [](std::string v) -> core::Event { return core::NewEmailEdited{std::move(v)}; });
  pen.submit_on_enter("new-email", core::SubmitNewEmail{});
  if (!pen.button("add-email", t("emails.add"), t("emails.add"), core::SubmitNewEmail{}, can_add,
                  e.pending.empty(), false) &&
      enter && can_add)
    pen.emit(core::SubmitNewEmail{});
  if (!e.pending.empty()) {
    bool code_enter =
        pen.field("new-email-code", t("emails.code_field"), "one-time-code", e.code,
                  [](std::string v) -> core::Event { return core::EmailCodeEdited{std::move(v)}; });
    pen.submit_on_enter("new-email-code", core::SubmitEmailCode{});
    if (!pen.button("verify-email", t("emails.verify"), t("emails.verify"), core::SubmitEmailCode{},
                    !e.verifying, true, false) &&
        code_enter && !e.verifying)
      pen.emit(core::SubmitEmailCode{});
  }
  if (!e.notice.empty())
    pen.text("emails-status", e.notice, e.notice_is_error ? Ink::Error : Ink::Muted,
             e.notice_is_error ? "alert" : "status");
}

}  // namespace continuata::portal
