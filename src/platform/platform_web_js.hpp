// Declarations of the functions src/platform/platform_web.js gives the C++ side, and of the C
// functions it calls back. Only src/platform includes this.
#pragma once

extern "C" {
// Provided by platform_web.js
void cx_http_send(int id, const char* method, const char* url, const char* body, const char* bearer, int timeout_ms);
char* cx_storage_get(const char* key);  // malloc'd or null
void cx_storage_set(const char* key, const char* value);
void cx_storage_remove(const char* key);
void cx_clipboard_write(int id, const char* text);
void cx_open_url(const char* url);
char* cx_page_config();  // malloc'd JSON
void cx_clear_url_params();
void cx_install_page_hooks();
void cx_publish_frame(int frames, double frame_ms, double ui_ms, const char* semantics_json_or_null);
void cx_report_content_height(int css_px);  // to the embedding page, when in an iframe
void cx_load_image(int id, const char* url);  // answers portal_image_done
void cx_publish_font_scripts(unsigned scripts);
void cx_set_touch_scrolls_page(int yes);
double cx_text_scale();  // root font size / 16 px: the reader's text size setting  // the canvas's touch-action: pan-y or none  // core::Script bits the font now covers

// Called by platform_web.js
void portal_http_done(int id, int status, const char* body, const char* retry_after, int failure);
void portal_clipboard_done(int id, int ok);
void portal_request_frame();
void portal_image_done(int id, int gl_texture, int w, int h);  // texture 0: failed
void portal_color_scheme_changed(int dark);
void portal_a11y_action(const char* kind, const char* id, const char* value);
}
