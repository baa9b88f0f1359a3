// --demo: seeds a demo org ("audio-company"), three products with active versions and real
// generated files (one with several files, one of 150 MB stored sparse), and purchases for
// demo@example.com; writes the demo admin API key to DATA/demo-admin.key. Running it again on
// the same data folder changes nothing.
#pragma once
#include <string>

#include "server/server_context.hpp"

namespace continuata::server {

inline constexpr const char* kDemoOrg = "audio-company";
inline constexpr const char* kDemoEmail = "demo@example.com";

// Returns the demo admin key.
std::string seed_demo(ServerContext& ctx);

}  // namespace continuata::server
