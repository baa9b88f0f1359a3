// Font atlas building for the browser (see platform_web_fonts.hpp).
#include "platform/platform_web_fonts.hpp"

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include "platform/platform_fonts.hpp"
#include "platform/platform_web_js.hpp"

extern const unsigned char kPortalFont[];
extern const unsigned int kPortalFontSize;

namespace continuata::platform {

void build_fonts(WebFonts& f, portal::Fonts& out, double dpr, unsigned scripts, double scale) {
  add_portal_fonts(kPortalFont, int(kPortalFontSize), scale, dpr, scripts,
                   out);  // the data lives in the wasm
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  f.dpr = dpr;
  f.scripts = scripts;
  f.text_scale = scale;
  cx_publish_font_scripts(scripts);
}

}  // namespace continuata::platform
