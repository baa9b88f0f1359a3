// The product's name and version, shared by the server (headers, logs) and the portal (footer).
#pragma once
#include <string_view>

namespace continuata::core {

std::string_view product_name();
std::string_view product_version();

}  // namespace continuata::core
