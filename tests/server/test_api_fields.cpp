// api_fields: every JSON field check answers 400 with the API's one wording for it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "server/api_error.hpp"
#include "server/api_fields.hpp"

using nlohmann::json;
namespace srv = continuata::server;

namespace {

// The message of the 400 `call` throws ("" when it returns).
template <class F>
std::string refusal(F&& call) {
  try {
    call();
  } catch (const srv::ApiError& e) {
    CHECK(e.status == 400);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a body must be an object") {
  CHECK(refusal([] { srv::require_object(json::array()); }) == "Request body must be a JSON object");
  CHECK(refusal([] { srv::require_object(json("x")); }) == "Request body must be a JSON object");
  CHECK(refusal([] { srv::require_object(json::object()); }).empty());
}

TEST_CASE("required and optional strings say what is wrong with the field") {
  json body = {{"name", "Kit"}, {"blank", "  \t"}, {"number", 7}, {"none", nullptr}, {"empty", ""}};
  CHECK(srv::required_string(body, "name") == "Kit");
  CHECK(refusal([&] { srv::required_string(body, "missing"); }) == "\"missing\" is required");
  CHECK(refusal([&] { srv::required_string(body, "none"); }) == "\"none\" is required");
  CHECK(refusal([&] { srv::required_string(body, "number"); }) == "\"number\" must be a string");
  CHECK(srv::required_string(body, "blank") == "  \t");
  CHECK(refusal([&] { srv::required_text(body, "blank"); }) == "\"blank\" must not be empty");

  CHECK(srv::nonempty_string(body, "name") == "Kit");
  for (const char* f : {"missing", "number", "empty", "none"})
    CHECK(refusal([&] { srv::nonempty_string(body, f); }) ==
          std::string("\"") + f + "\" is required and must be a string");

  CHECK(srv::optional_string(body, "name") == "Kit");
  CHECK(!srv::optional_string(body, "missing"));
  CHECK(!srv::optional_string(body, "none"));
  CHECK(srv::optional_string(body, "empty") == "");
  CHECK(refusal([&] { srv::optional_string(body, "number"); }) == "\"number\" must be a string");
  // Not an object: every field is absent.
  CHECK(!srv::optional_string(json::array(), "name"));
}
