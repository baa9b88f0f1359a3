// ImGui's style for the portal: spacing and rounding, and every colour from the palette.
#include "portal/portal_style.hpp"

namespace continuata::portal {

void apply_portal_style(const core::Palette& p) {
  ImGuiStyle& st = ImGui::GetStyle();
  if (p.dark)
    ImGui::StyleColorsDark(&st);
  else
    ImGui::StyleColorsLight(&st);
  st.WindowPadding = ImVec2(20, 20);
  st.FramePadding = ImVec2(12, 8);
  st.ItemSpacing = ImVec2(10, 10);
  st.FrameRounding = st.GrabRounding = st.ChildRounding = st.PopupRounding = p.radius;
  st.WindowBorderSize = 0;
  st.FrameBorderSize = 1;
  st.ScrollbarSize = 12;
  ImVec4* col = st.Colors;
  col[ImGuiCol_WindowBg] = colour(p.background);
  col[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  col[ImGuiCol_PopupBg] = colour(p.surface);
  col[ImGuiCol_Text] = colour(p.text);
  col[ImGuiCol_TextDisabled] = colour(p.muted);
  col[ImGuiCol_FrameBg] = col[ImGuiCol_FrameBgActive] = colour(p.surface);
  col[ImGuiCol_FrameBgHovered] = colour(p.button);
  col[ImGuiCol_Border] = colour(p.border);  // 3:1 against the background for inputs
  col[ImGuiCol_Button] = colour(p.button);
  col[ImGuiCol_ButtonHovered] = colour(p.button_hovered);
  col[ImGuiCol_ButtonActive] = colour(p.button_active);
  col[ImGuiCol_CheckMark] = colour(p.accent_text);
  col[ImGuiCol_NavHighlight] = colour(p.accent_text);
  col[ImGuiCol_Separator] = colour(p.border, 0.5f);
  col[ImGuiCol_TextSelectedBg] = colour(p.accent_text, 0.3f);
}

}  // namespace continuata::portal
