// What the page around the portal is told of its layout after each frame: the height the
// screen needs (web/continuata-embed.js sizes its iframe to it), and whether a vertical drag on
// the canvas is the page's (everything fits) or the portal's (its list scrolls). Each is sent
// only when it changes.
#pragma once

namespace continuata::platform {

// `content_height`: CSS px the screen needs without scrolling; `css_h`: the canvas's height.
void embed_report(float content_height, float css_h);

}  // namespace continuata::platform
