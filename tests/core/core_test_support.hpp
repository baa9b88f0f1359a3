// What the core's tests share: the clock they start at, a server answer, the one HTTP command a
// step asked for, and a library signed in and loaded from a GET /api/portal/purchases body.
#pragma once
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "core/core_state.hpp"

namespace core_test {

using namespace continuata::core;
using nlohmann::json;

inline constexpr int64_t T0 = 1790000000000;

inline HttpResponse answer(int status, const json& body) {
  return HttpResponse{status, body.dump(), "", TransportFailure::None};
}

// The step's only command, which must be a request.
inline const HttpCommand& http(const std::vector<Command>& cmds) {
  REQUIRE(cmds.size() == 1);
  auto h = std::get_if<HttpCommand>(&cmds[0]);
  REQUIRE(h != nullptr);
  return *h;
}

// The library of `email`, signed in for a day, in `lang`, after the purchase list `list` came.
inline State library_of(const json& list, const std::string& lang = "en",
                        const std::string& email = "a@example.com") {
  State s;
  update(s, Started{{"https://api.example", "", lang}, std::nullopt, "", "", T0});
  s.session = Session{std::string(64, 't'), email, T0 + 86400000};
  s.screen = Screen::Library;
  update(s, HttpDone{RequestKind::Purchases, 0, answer(200, list), s.epoch});
  return s;
}

inline const Purchase& by_id(const State& s, int64_t id) {
  for (const auto& p : s.purchases)
    if (p.purchase_id == id) return p;
  FAIL("no purchase " << id);
  return s.purchases[0];
}

}  // namespace core_test
