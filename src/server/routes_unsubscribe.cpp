// The unsubscribe page and the one-click POST; words from the mail catalogue of the email's language.
#include "server/routes_unsubscribe.hpp"

#include "core/core_theme.hpp"
#include "server/http_engine.hpp"
#include "server/mail_i18n.hpp"
#include "server/routes_util.hpp"
#include "server/service_update_mail.hpp"

namespace continuata::server {
namespace {

// A plain page (no script; the form may post only back here).
void page(httplib::Response& res, int status, const core::Text& t, const std::string& title,
          const std::string& body_html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Referrer-Policy", "no-referrer");  // the token is in the URL
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
                 "frame-ancestors 'none'");
  const core::Palette palette = core::make_palette({}, false);
  res.set_content("<!doctype html><html lang=\"" + t.lang() +
                      "\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
                      title +
                      "</title><style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
                      "padding:0 1rem;background:" +
                      core::css_hex(palette.background) + ";color:" + core::css_hex(palette.text) +
                      "}button{font:inherit;padding:.5rem 1rem}</style>"
                      "</head><body><h1>" +
                      title + "</h1>" + body_html + "</body></html>",
                  "text/html; charset=utf-8");
}

// The page for a refused token (400 malformed, 403 forged): the token names nobody, so the
// browser's Accept-Language picks the language.
void refused(const httplib::Request& req, httplib::Response& res, const ApiError& e) {
  const core::Text& t = mail_text(accepted_mail_language(req.get_header_value("Accept-Language")));
  page(res, e.status, t, mail_html(t, "mail.unsubscribe.button"),
       "<p>" + mail_html(t, "mail.unsubscribe.invalid") + "</p>");
}

bool one_click_body(const std::string& body) {
  size_t at = 0;
  while (at <= body.size()) {
    size_t end = body.find('&', at);
    if (end == std::string::npos) end = body.size();
    if (body.compare(at, end - at, "List-Unsubscribe=One-Click") == 0) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

void install_unsubscribe_routes(HttpEngine& http, ServerContext& ctx) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;

  http.Get("/api/unsubscribe", [&ctx](Req req, Res res) {
    try {
      UnsubscribePage p = unsubscribe_page(ctx, req.get_param_value("t"));
      const core::Text& t = mail_text(p.lang);
      core::TextArgs args = {{"seller", html_escape(p.seller)}, {"email", html_escape(p.email)}};
      std::string action = "/api/unsubscribe?t=" + url_encode(req.get_param_value("t"));
      page(res, 200, t, mail_html(t, "mail.unsubscribe.title", args),
           "<p>" + mail_html(t, "mail.unsubscribe.question", args) + "</p><form method=\"post\" action=\"" +
               html_escape(action) +
               "\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button "
               "type=\"submit\">" +
               mail_html(t, "mail.unsubscribe.button") + "</button></form>");
    } catch (const ApiError& e) {
      refused(req, res, e);
    }
  });

  http.Post("/api/unsubscribe", [&ctx](Req req, Res res) {
    if (!one_click_body(req.body))
      throw ApiError(400, "Send the body List-Unsubscribe=One-Click (RFC 8058) to unsubscribe");
    try {
      UnsubscribeTarget done = unsubscribe(ctx, req.get_param_value("t"));
      UnsubscribePage p = unsubscribe_page(ctx, req.get_param_value("t"));
      const core::Text& t = mail_text(p.lang);
      core::TextArgs args = {{"seller", html_escape(p.seller)}, {"email", html_escape(done.email)}};
      page(res, 200, t, mail_html(t, "mail.unsubscribe.title", args),
           "<p>" + mail_html(t, "mail.unsubscribe.done", args) + "</p>");
    } catch (const ApiError& e) {
      refused(req, res, e);
    }
  });
}

}  // namespace continuata::server
