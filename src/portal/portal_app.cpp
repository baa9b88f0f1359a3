// Glue between the views, the core state machine and the platform services.
#include "portal/portal_app.hpp"

#include <climits>
#include <cmath>
#include <deque>
#include <string>

#include "core/core_format.hpp"
#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "platform/platform_services.hpp"
#include "portal/portal_views.hpp"

namespace continuata::portal {
namespace {

constexpr const char* kSessionKey = "continuata.session";

struct App {
  core::State state;
  const Fonts* fonts = nullptr;
  std::deque<core::Event> pending;  // results that arrived between frames
  std::string semantics, last_semantics;
  bool semantics_changed = false;
  float content_height = 0;
  core::ThemeConfig theme;
  bool prefers_dark = false;
  Branding brand;
  Interaction ui;
};

App& app() {
  static App a;
  return a;
}

void run(const std::vector<core::Command>& commands);

void dispatch(const core::Event& e) { run(core::update(app().state, e)); }

void run(const std::vector<core::Command>& commands) {
  for (const auto& command : commands) {
    std::visit(
        [](const auto& c) {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, core::HttpCommand>) {
            auto kind = c.kind;
            auto id = c.purchase_id;
            auto epoch = c.epoch;
            platform::http_send(c.request, [kind, id, epoch](core::HttpResponse r) {
              app().pending.push_back(core::HttpDone{kind, id, std::move(r), epoch});
              platform::request_frame();
            });
          } else if constexpr (std::is_same_v<T, core::SaveSession>) {
            platform::storage_set(kSessionKey, c.text);
          } else if constexpr (std::is_same_v<T, core::ClearSession>) {
            platform::storage_remove(kSessionKey);
          } else if constexpr (std::is_same_v<T, core::CopyText>) {
            platform::clipboard_write(c.text, [](bool ok) {
              app().pending.push_back(core::CopyDone{ok});
              platform::request_frame();
            });
          } else if constexpr (std::is_same_v<T, core::OpenUrl>) {
            platform::open_url(c.url);
          } else if constexpr (std::is_same_v<T, core::ClearUrlParams>) {
            platform::clear_url_params();
          }
        },
        command);
  }
}

}  // namespace

void portal_app_start(const Fonts* fonts) {
  App& a = app();
  a.fonts = fonts;
  platform::PageConfig page = platform::page_config();
  a.theme = {page.accent, page.scheme, page.radius};
  a.prefers_dark = page.prefers_dark;
  apply_portal_style(core::make_palette(a.theme, a.prefers_dark));
  a.brand.name = page.seller_name;
  if (!page.logo_url.empty())
    platform::load_image(page.logo_url, [](void* texture, int w, int h) {
      app().brand.logo = texture;
      app().brand.logo_w = float(w);
      app().brand.logo_h = float(h);
    });
  core::Started started;
  started.config = {page.api_base, page.org, page.language};
  started.saved_session = platform::storage_get(kSessionKey);
  started.link_email = page.email;
  started.link_code = page.code;
  started.now_ms = int64_t(platform::now_ms());
  dispatch(started);
}

bool portal_app_frame(double now_ms) {
  App& a = app();
  if (int64_t(now_ms) / 1000 != a.state.now_ms / 1000 || int64_t(now_ms) >= core::next_wakeup_ms(a.state))
    dispatch(core::Tick{int64_t(now_ms)});
  while (!a.pending.empty()) {
    core::Event e = std::move(a.pending.front());
    a.pending.pop_front();
    dispatch(e);
  }
  core::Semantics sem;
  for (const auto& e : draw_portal(a.state, *a.fonts, a.brand, a.ui, sem, a.content_height)) dispatch(e);
  a.ui.activated.clear();
  a.semantics = core::semantics_json(sem);
  a.semantics_changed = a.semantics != a.last_semantics;
  if (a.semantics_changed) a.last_semantics = a.semantics;
  return core::busy(a.state) || !a.pending.empty();
}

double portal_app_next_wakeup_ms() {
  int64_t next = core::next_wakeup_ms(app().state);
  return next == INT64_MAX ? INFINITY : double(next);
}

unsigned portal_app_scripts() {
  // The data's scripts, and the UI language's own (none beyond Latin for en/de/fr today),
  // computed again only when the language changes.
  static const core::Text* language = nullptr;
  static unsigned ui = 0;
  if (language != app().state.text) {
    language = app().state.text;
    ui = 0;
    for (const auto& [key, value] : language->entries()) ui |= core::scripts_in(value);
  }
  return app().state.scripts | ui;
}

float portal_app_content_height() { return app().content_height; }

void portal_app_a11y_action(const std::string& kind, const std::string& id, const std::string& value) {
  App& a = app();
  if (kind == "activate") {
    a.ui.activated.insert(id);  // the button's own code runs in the next frame, as for a click
  } else if (kind == "focus") {
    a.ui.focused = id;
  } else if (kind == "blur") {
    if (a.ui.focused == id) a.ui.focused.clear();
  } else if (kind == "setValue") {
    if (id == "email") dispatch(core::EmailEdited{value});
    else if (id == "code") dispatch(core::CodeEdited{value});
    else if (id == "search") dispatch(core::SearchEdited{value});
  } else if (kind == "submit") {
    if (id == "email") dispatch(core::SubmitEmail{});
    else if (id == "code") dispatch(core::SubmitCode{});
  } else if (kind == "cancel") {  // Escape
    if (id == "search") dispatch(core::SearchEdited{""});
    else if (id == "code") dispatch(core::UseDifferentEmail{});
  }
}

void portal_app_color_scheme_changed(bool dark) {
  App& a = app();
  a.prefers_dark = dark;
  apply_portal_style(core::make_palette(a.theme, dark));
}

const char* portal_app_semantics_json(bool* changed) {
  if (changed) *changed = app().semantics_changed;
  return app().semantics.c_str();
}

}  // namespace continuata::portal
