// What each visible widget is, for the accessibility layer and the browser tests: role,
// accessible name (the names in PRODUCT.md), value, state and rectangle in CSS pixels of the
// canvas. The views fill it every frame; the portal compares it with the last frame's and the
// platform publishes it to the page (as JSON) only when it changed.
#pragma once
#include <string>
#include <vector>

namespace continuata::core {

struct SemanticNode {
  std::string id;      // stable across frames: the same widget keeps its id
  std::string role;    // button, textbox, heading, link, list, listitem, status, alert, text, img;
                       // label: drawn text another widget is named by (a field's label,
                       // "Sort:"), recorded for the layout checks, no element in the page
  std::string name;    // accessible name
  std::string value;   // text of a textbox, URL of a link
  std::string kind;    // textbox flavour: email, code, search
  std::string parent;  // id of the list a listitem belongs to
  int level = 0;       // heading level
  int position = 0, set_size = 0;  // a list item's place (1-based) among all, on screen or not
  bool disabled = false, focused = false;
  bool checked = false;  // a radio's state
  bool clipped = false;  // drawn past its column's edge (the layout test fails on it)
  float x = 0, y = 0, w = 0, h = 0;
};
using Semantics = std::vector<SemanticNode>;

// One control of a row as the page's tree holds it: the files toggle ("files-<id>", value
// "expanded" or "collapsed"), "Get download link" ("get-<id>"), or the Download link
// ("download-<id>", href) and "Copy link" ("copy-<id>"), each named with the product.
struct RowControl {
  std::string id, role, name, href, value;
};

// One purchase of the library as the page's tree holds it whether or not it is on screen: its
// heading, its details as text and all its controls in drawing order (Tab reaches every
// purchase and every control of it). The frame's semantics, for the rows on screen, place and
// complete these (same ids).
struct RowSummary {
  std::string id;  // the purchase id: the row is "row-<id>", its heading "name-<id>"
  std::string heading, details;
  std::vector<RowControl> controls;
  int position = 0, set_size = 0;
};

// JSON array of the rows, for the page (its rows(list)).
std::string rows_json(const std::vector<RowSummary>& rows);

// True when the page would see no difference: every field equal, rectangles to the 0.1 px that
// semantics_json writes.
bool same_semantics(const Semantics& a, const Semantics& b);

// JSON array of the nodes, for the page (window.__continuata.semantics).
std::string semantics_json(const Semantics& nodes);

}  // namespace continuata::core
