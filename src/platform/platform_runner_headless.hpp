// A runner with no window and no renderer (ImGui's "null backend": a display size, a font atlas
// built and never uploaded, NewFrame/Render with nothing drawn), so native tests drive the real
// views: frames are drawn when the test says, the clock is the Services', and what the page
// would be told is kept for the test to read.
#pragma once
#include <string>
#include <vector>

#include "platform/platform_runner.hpp"

namespace continuata::platform {

class HeadlessRunner : public Runner {
 public:
  explicit HeadlessRunner(float css_w = 800, float css_h = 900) : css_w_(css_w), css_h_(css_h) {}
  ~HeadlessRunner() override;

  void set_size(float css_w, float css_h) {
    css_w_ = css_w;
    css_h_ = css_h;
  }
  // The semantics JSON the page was last given (as platform_web_a11y.js gets it), and how many
  // frames gave one: a frame whose semantics did not change gives none.
  const std::string& published_semantics() const { return published_; }
  int semantics_publications() const { return publications_; }
  float reported_content_height() const { return content_height_; }
  // The row catalogue the page was last given, and how many frames gave one.
  const std::string& published_rows() const { return rows_; }
  int rows_publications() const { return rows_publications_; }
  // Text at this multiple of its size (200% text: 2), the fonts built again at the next frame.
  void set_text_scale(float scale) {
    text_scale_ = scale;
    fonts_dirty_ = true;
  }

 protected:
  void impl_init() override;
  FrameSize impl_new_frame() override;
  void impl_render(ImDrawData*, const FrameSize&) override {}
  void impl_publish(const FrameReport& report) override;
  double impl_clock_ms() override;

 private:
  float css_w_, css_h_;
  std::string published_;
  int publications_ = 0;
  std::string rows_;
  int rows_publications_ = 0;
  float text_scale_ = 1;
  bool fonts_dirty_ = false;
  std::vector<unsigned char> font_;  // the TTF, for the atlas to read
  unsigned scripts_ = 0;             // the scripts beyond Latin the atlas holds
  void build_fonts();
  float content_height_ = 0;
};

}  // namespace continuata::platform
