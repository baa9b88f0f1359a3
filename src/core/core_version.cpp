// The product's name and version strings.
#include "core/core_version.hpp"

namespace continuata::core {

std::string_view product_name() {
  return "Continuata";
}
std::string_view product_version() {
  return "0.1.0";
}

}  // namespace continuata::core
