// A real SMTP server on loopback for the mail tests (tests/server/smtp_sink.py, Debian's
// python3-aiosmtpd), and the MIME part reader the tests check messages with.
#pragma once
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace continuata::testing {

// Runs tests/server/smtp_sink.py; its stdin is our pipe, so closing it stops the server.
class SmtpSink {
 public:
  SmtpSink() {
    dir_ = std::filesystem::temp_directory_path() /
           ("continuata-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    int in[2], out[2];
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      std::string script = std::string(CONTINUATA_SOURCE_DIR) + "/tests/server/smtp_sink.py";
      // Debian's python3, which has python3-aiosmtpd (a python3 earlier on PATH may not); argv[0] is
      // its path too, since Python finds its library from argv[0] through PATH when it has no slash.
      ::execl("/usr/bin/python3", "/usr/bin/python3", script.c_str(), dir_.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    ::close(out[0]);
    REQUIRE_MESSAGE(line.rfind("PORT ", 0) == 0, "smtp_sink.py did not start: " << line);
    port_ = std::stoi(line.substr(5));
  }
  ~SmtpSink() {
    ::close(stdin_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  int port() const { return port_; }
  // The n-th received message (1-based), waiting up to 10 s for it.
  std::string message(int n, std::string* envelope = nullptr) const {
    auto path = dir_ / (std::to_string(n) + ".eml");
    for (int i = 0; i < 1000 && !std::filesystem::exists(path); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (envelope) {
      std::ifstream env(dir_ / (std::to_string(n) + ".env"));
      std::stringstream es;
      es << env.rdbuf();
      *envelope = es.str();
    }
    return ss.str();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int stdin_ = -1, port_ = 0;
};

// The server's SMTP settings for one test: plain SMTP (no STARTTLS) from
// no-reply@continuata.test to the relay at `url`, all unset again when the scope ends.
class SmtpEnvironment {
 public:
  explicit SmtpEnvironment(const std::string& url) {
    ::setenv("CONTINUATA_SMTP_FROM", "Continuata <no-reply@continuata.test>", 1);
    ::setenv("CONTINUATA_SMTP_STARTTLS", "off", 1);
    relay(url);
  }
  ~SmtpEnvironment() {
    ::unsetenv("CONTINUATA_SMTP_URL");
    ::unsetenv("CONTINUATA_SMTP_FROM");
    ::unsetenv("CONTINUATA_SMTP_STARTTLS");
  }
  SmtpEnvironment(const SmtpEnvironment&) = delete;
  SmtpEnvironment& operator=(const SmtpEnvironment&) = delete;
  void relay(const std::string& url) { ::setenv("CONTINUATA_SMTP_URL", url.c_str(), 1); }
};

// The body of the MIME part with this content type.
inline std::string part(const std::string& mime, const std::string& type) {
  auto at = mime.find("Content-Type: " + type);
  if (at == std::string::npos) return "";
  auto start = mime.find("\r\n\r\n", at) + 4;
  auto end = mime.find("\r\n--continuata-", start);
  return mime.substr(start, end - start);
}

}  // namespace continuata::testing
