// Declarations of the functions the --js-library files of src/platform give the C++ side, and of
// the C functions they call back (exported from platform_web_main.cpp and
// platform_services_web.cpp). Only src/platform includes this.
#pragma once

extern "C" {
// platform_web_services.js
void cx_http_send(int id, const char* method, const char* url, const char* body, const char* bearer,
                  int timeout_ms);
char* cx_storage_get(const char* key);  // malloc'd or null
void cx_storage_set(const char* key, const char* value);
void cx_storage_remove(const char* key);
void cx_clipboard_write(int id, const char* text);
void cx_open_url(const char* url);
void cx_clear_url_params();
// platform_web_page.js
char* cx_page_config(const char* option_keys);  // malloc'd JSON; keys comma-separated
void cx_install_page_hooks();
double cx_text_scale();                     // root font size / 16 px: the reader's text size setting
void cx_set_touch_scrolls_page(int yes);    // the canvas's touch-action: pan-y or none
void cx_report_content_height(int css_px);  // to the embedding page, when in an iframe
// platform_web_a11y.js
void cx_a11y_install();
void cx_a11y_update(const char* semantics_json);  // a list that changed
void cx_a11y_rows(const char* rows_json);         // the library's row catalogue, when it changed
// platform_web_images.js
void cx_load_image(int id, const char* url);  // answers portal_image_done
// platform_web_instrument.js
void cx_publish_start();
void cx_publish_frame(int frames, double frame_ms, double ui_ms);
void cx_publish_font_scripts(unsigned scripts);  // core::Script bits the font now covers

// Called by the JS libraries
void portal_http_done(int id, int status, const char* body, const char* retry_after, int failure);
void portal_clipboard_done(int id, int ok);
void portal_request_frame();
void portal_image_done(int id, int gl_texture, int w, int h);  // texture 0: failed
void portal_color_scheme_changed(int dark);
void portal_a11y_action(const char* kind, const char* id, const char* value);
}
