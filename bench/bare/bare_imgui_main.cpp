// The reference for the first-frame benchmark: a bare Dear ImGui page (one window, one
// InputText) with the same compiler, flags, WebGL2 context and OpenGL3 renderer as the portal,
// but no portal, no font of its own and no platform layer beyond drawing.
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

static char text[128] = "";
static int frames_left = 3;  // a new auto-sized window is hidden in its first frame

static EM_BOOL frame(double, void*) {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  emscripten_set_canvas_element_size("#canvas", int(w), int(h));
  ImGui::GetIO().DisplaySize = ImVec2(float(w), float(h));
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImGui::Begin("Bare");
  ImGui::InputText("Text", text, sizeof text);
  ImGui::End();
  ImGui::Render();
  glViewport(0, 0, int(w), int(h));
  glClearColor(0.97f, 0.97f, 0.98f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  return --frames_left > 0 ? EM_TRUE : EM_FALSE;  // a few frames are all the benchmark needs
}

int main() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.alpha = false;
  attrs.antialias = false;
  auto ctx = emscripten_webgl_create_context("#canvas", &attrs);
  emscripten_webgl_make_context_current(ctx);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplOpenGL3_Init("#version 300 es");
  emscripten_request_animation_frame_loop(frame, nullptr);
  return 0;
}
