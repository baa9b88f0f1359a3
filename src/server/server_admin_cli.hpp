// `continuata-server --data DIR admin ...`: set up an org without a dashboard. Creates orgs, API
// keys (printed once), webhook secrets, the portal URL and the widget's allowed origins.
#pragma once
#include <string>
#include <vector>

#include "server/server_context.hpp"

namespace continuata::server {

// Runs one admin command; prints results to stdout, errors to stderr; returns the exit code.
int run_admin_command(ServerContext& ctx, const std::vector<std::string>& args);

}  // namespace continuata::server
