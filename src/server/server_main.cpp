// continuata-server's entry point: reads the configuration, prepares the data folder, builds the
// app and serves until SIGINT/SIGTERM. With --port 0 it binds a free port and prints it.
// SIGINT and SIGTERM are blocked in every thread and taken by one thread with sigtimedwait (no
// work in a signal handler): the first starts the graceful drain (ServerApp::drain), a second
// one stops at once; either way main returns 0 once the engine has stopped.
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "server/server_admin_cli.hpp"
#include "server/server_app.hpp"
#include "server/server_config.hpp"
#include "server/service_demo.hpp"

namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Waits for SIGINT/SIGTERM until `done`: the first drains, the next stops at once.
void take_signals(continuata::server::ServerApp& app, const std::atomic<bool>& done) {
  sigset_t set = stop_signals();
  int received = 0;
  timespec tick{0, 200 * 1000 * 1000};  // to notice `done`
  while (!done) {
    if (sigtimedwait(&set, nullptr, &tick) < 0) continue;  // EAGAIN (tick) or EINTR
    if (received++ == 0)
      app.drain();
    else
      app.stop();
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace continuata::server;
  std::vector<std::string> args(argv + 1, argv + argc);
  // "admin ..." runs one set-up command against the data folder instead of serving.
  auto admin = std::find(args.begin(), args.end(), "admin");
  std::vector<std::string> admin_args;
  bool is_admin = admin != args.end();
  if (is_admin) {
    admin_args.assign(admin + 1, args.end());
    args.erase(admin, args.end());
  }
  auto parsed = parse_server_config(args);
  if (!parsed.config) {
    std::cerr << "continuata-server: " << parsed.error << "\n" << server_usage();
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(parsed.config->data_dir, ec);
  if (ec) {
    std::cerr << "continuata-server: cannot create data folder " << parsed.config->data_dir << ": "
              << ec.message() << "\n";
    return 1;
  }
  // Before any thread exists (the app starts some), so every thread inherits the blocked mask.
  sigset_t signals = stop_signals();
  if (!is_admin) pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ServerApp app(*parsed.config);
  if (is_admin) return run_admin_command(app.context(), admin_args);
  if (app.bind() < 0) {
    std::cerr << "continuata-server: cannot listen on " << app.config().host << ":" << parsed.config->port
              << "\n";
    return 1;
  }
  if (app.config().demo) {
    std::string key = seed_demo(app.context());
    std::printf("demo: org %s, customer %s, admin API key %s (also in %s/demo-admin.key)\n", kDemoOrg,
                kDemoEmail, key.c_str(), app.config().data_dir.c_str());
  }
  if (!app.config().demo && !app.config().dev && std::string(app.context().mailer->name()) != "smtp")
    std::fprintf(stderr,
                 "{\"level\":\"warning\",\"message\":\"CONTINUATA_SMTP_URL is not set: mail is only "
                 "stored in the outbox table\"}\n");
  std::printf("continuata-server listening on http://%s:%d\n", app.config().host.c_str(), app.config().port);
  std::printf("portal: %s/my\n", app.config().public_url.c_str());
  std::fflush(stdout);
  std::atomic<bool> done{false};
  std::thread signal_taker([&] { take_signals(app, done); });  // a signal sent before now stays pending
  app.run();
  done = true;
  signal_taker.join();
  return 0;
}
