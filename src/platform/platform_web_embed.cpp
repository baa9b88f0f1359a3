// Layout reports to the page (see platform_web_embed.hpp), over platform_web_page.js.
#include "platform/platform_web_embed.hpp"

#include <cmath>

#include "platform/platform_web_js.hpp"

namespace continuata::platform {
namespace {

int g_reported_height = -1;     // the content height last sent to an embedding page
int g_touch_scrolls_page = -1;  // whether a vertical drag on the canvas is the browser's (as last set)

}  // namespace

void embed_report(float content_height, float css_h) {
  int wanted = int(std::ceil(content_height));
  if (wanted != g_reported_height) cx_report_content_height(g_reported_height = wanted);
  // When everything fits, a vertical drag on the canvas scrolls the page (an embedded widget on a
  // phone); when the portal has to scroll its list, the drag is ours.
  int page_scrolls = wanted <= css_h + 1 ? 1 : 0;
  if (page_scrolls != g_touch_scrolls_page) cx_set_touch_scrolls_page(g_touch_scrolls_page = page_scrolls);
}

}  // namespace continuata::platform
