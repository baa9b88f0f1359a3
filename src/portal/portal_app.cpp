// Glue between the views, the core state machine and the platform's services.
#include "portal/portal_app.hpp"

#include <climits>
#include <cmath>
#include <string>

#include "core/core_format.hpp"
#include "portal/portal_style.hpp"

namespace continuata::portal {
namespace {

constexpr const char* kSessionKey = "continuata.session";

// The API base without trailing slashes ("https://api.example/" and "https://api.example" alike).
std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The purchase a catalogue control's id names ("get-12" with prefix "get-": 12), when it is one
// of the visible rows; else 0.
int64_t visible_purchase(const core::State& s, const std::string& id, const char* prefix) {
  size_t n = std::char_traits<char>::length(prefix);
  if (id.size() <= n || id.compare(0, n, prefix) != 0) return 0;
  int64_t pid = 0;
  for (size_t i = n; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return 0;
    pid = pid * 10 + (id[i] - '0');
  }
  for (size_t i : s.visible)
    if (s.purchases[i].purchase_id == pid) return pid;
  return 0;
}

}  // namespace

void PortalApp::start(const PageConfig& page, Services& services, const Fonts* fonts) {
  services_ = &services;
  look_.fonts = fonts;
  const PageOptions& o = page.options;
  theme_ = {o.accent, o.theme, o.radius};
  prefers_dark_ = page.prefers_dark;
  apply_style();
  look_.brand.name = o.name;
  look_.touch = page.coarse_pointer;
  if (!o.logo.empty())
    services.load_image(o.logo, [this](void* texture, int w, int h) {
      look_.brand.logo = texture;
      look_.brand.logo_w = float(w);
      look_.brand.logo_h = float(h);
    });
  core::Started started;
  std::string lang = !o.lang.empty() ? o.lang : !page.browser_language.empty() ? page.browser_language : "en";
  started.config = {without_trailing_slashes(o.api), o.org, lang};
  started.saved_session = services.storage_get(kSessionKey);
  started.link_email = page.link_email;
  started.link_code = page.link_code;
  started.now_ms = int64_t(services.now_ms());
  dispatch(started);
}

void PortalApp::dispatch(const core::Event& e) {
  for (const auto& command : core::update(state_, e)) run(command);
}

void PortalApp::run(const core::Command& command) {
  std::visit(
      [this](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, core::HttpCommand>) {
          auto kind = c.kind;
          auto id = c.purchase_id;
          auto epoch = c.epoch;
          services_->http_send(c.request, [this, kind, id, epoch](core::HttpResponse r) {
            pending_.push_back(core::HttpDone{kind, id, std::move(r), epoch});
            services_->request_frame();
          });
        } else if constexpr (std::is_same_v<T, core::SaveSession>) {
          services_->storage_set(kSessionKey, c.text);
        } else if constexpr (std::is_same_v<T, core::ClearSession>) {
          services_->storage_remove(kSessionKey);
        } else if constexpr (std::is_same_v<T, core::CopyText>) {
          services_->clipboard_write(c.text, [this](bool ok) {
            pending_.push_back(core::CopyDone{ok});
            services_->request_frame();
          });
        } else if constexpr (std::is_same_v<T, core::OpenUrl>) {
          services_->open_url(c.url);
        } else if constexpr (std::is_same_v<T, core::ClearUrlParams>) {
          services_->clear_url_params();
        }
      },
      command);
}

void PortalApp::apply_style() {
  look_.palette = core::make_palette(theme_, prefers_dark_);
  apply_portal_style(look_.palette);
}

bool PortalApp::frame(double now_ms) {
  if (int64_t(now_ms) / 1000 != state_.now_ms / 1000 || int64_t(now_ms) >= core::next_wakeup_ms(state_))
    dispatch(core::Tick{int64_t(now_ms)});
  while (!pending_.empty()) {
    core::Event e = std::move(pending_.front());
    pending_.pop_front();
    dispatch(e);
  }
  draw_portal(state_, look_, ui_, view_);
  answered_.clear();
  for (const auto& e : view_.events) dispatch(e);
  // Compared as structs (rectangles to the 0.1 px the page sees): the JSON is made only for a
  // list that changed, and only when the page asks for it.
  if (!core::same_semantics(view_.semantics, published_)) {
    published_.swap(view_.semantics);
    ++generation_;
  }
  return core::busy(state_) || !pending_.empty();
}

const std::string& PortalApp::semantics_json() {
  if (json_generation_ != generation_) {
    json_ = core::semantics_json(published_);
    json_generation_ = generation_;
  }
  return json_;
}

const std::string& PortalApp::rows_json() {
  if (rows_json_generation_ != view_.rows_generation) {
    rows_json_ = view_.rows_generation && view_.rows ? core::rows_json(*view_.rows) : "[]";
    rows_json_generation_ = view_.rows_generation;
  }
  return rows_json_;
}

double PortalApp::next_wakeup_ms() const {
  int64_t next = core::next_wakeup_ms(state_);
  return next == INT64_MAX ? INFINITY : double(next);
}

unsigned PortalApp::scripts() {
  // The data's scripts, and the UI language's own (none beyond Latin for en/de/fr today),
  // computed again only when the language changes.
  if (scripts_language_ != state_.text) {
    scripts_language_ = state_.text;
    language_scripts_ = 0;
    for (const auto& [key, value] : scripts_language_->entries())
      language_scripts_ |= core::scripts_in(value);
  }
  return state_.scripts | language_scripts_;
}

void PortalApp::a11y_action(std::string_view kind, const std::string& id, const std::string& value) {
  if (kind == "focus") {
    ui_.focused = id;
    // A click's focus lands on a widget in sight: scrolling it now would move it from under the
    // pointer before the button is released, and the click would be lost.
    if (value == "pointer") ui_.scrolled_for = ui_.column_scrolled_for = ui_.widget_in_sight_for = id;
    return;
  }
  if (kind == "blur") {
    if (ui_.focused == id) ui_.focused.clear();
    return;
  }
  std::optional<ActionKind> action = action_kind(kind);
  if (!action) return;
  // A file's short checksum shows in full: the views' own state, no event for the core.
  if (*action == ActionKind::Activate && id.rfind("sum-", 0) == 0) {
    ui_.full_checksums.insert(id.substr(4));
    services_->request_frame();
    return;
  }
  bool press = *action != ActionKind::SetValue;
  if (press)
    for (const auto& [answered_id, answered_kind] : answered_)
      if (answered_id == id && answered_kind == *action) return;
  // (update() changes the state only; the table stays as drawn until the next frame.)
  bool had = view_.actions.with_event(id, *action, value, [&](const core::Event& e) {
    if (press) answered_.emplace_back(id, *action);
    dispatch(e);
  });
  // The row catalogue's controls (rows not drawn in the last frame, portal_views): their events
  // follow from the id alone.
  if (!had && *action == ActionKind::Activate && state_.screen == core::Screen::Library) {
    int64_t pid = visible_purchase(state_, id, "get-");
    if (pid) {
      answered_.emplace_back(id, *action);
      dispatch(core::GetLink{pid});
    } else if ((pid = visible_purchase(state_, id, "download-"))) {
      answered_.emplace_back(id, *action);
      dispatch(core::OpenLink{pid});
    } else if ((pid = visible_purchase(state_, id, "copy-"))) {
      answered_.emplace_back(id, *action);
      dispatch(core::CopyLink{pid});
    } else if ((pid = visible_purchase(state_, id, "key-copy-"))) {
      answered_.emplace_back(id, *action);
      dispatch(core::CopyLicenseKey{pid});
    } else if ((pid = visible_purchase(state_, id, "files-"))) {
      answered_.emplace_back(id, *action);
      dispatch(core::ToggleFiles{pid});
    } else if ((pid = visible_purchase(state_, id, "whats-new-"))) {
      answered_.emplace_back(id, *action);
      dispatch(core::ToggleWhatsNew{pid});
    }
  }
}

void PortalApp::color_scheme_changed(bool dark) {
  prefers_dark_ = dark;
  apply_style();
}

}  // namespace continuata::portal
