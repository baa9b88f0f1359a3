// The browser's render loop: requestAnimationFrame only when something changed (input, a
// response, a resize, the next countdown second), else nothing is drawn at all.
#pragma once

namespace continuata::platform {

class Runner;

// Starts drawing `runner`'s frames (it must live as long as the page).
void loop_start(Runner& runner);
// Asks for at least `n` more frames (ImGui settles hover/active state over a frame or two after
// input, so input asks for two).
void request_frames(int n = 2);

}  // namespace continuata::platform
