// JsonValue: a small JSON tree and the writer that prints it the way Slurm 22.05's
// `squeue --json` / `sinfo --json` do: two-space indent, "key": value, members in
// insertion order, '/' escaped as "\/", an empty array or object opened and closed on
// separate lines ("[\n  ]").
//
// Thread-safety: value types; WriteJson is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace drover::cli {

struct JsonValue;
using JsonArray = std::vector<JsonValue>;
using JsonObject = std::vector<std::pair<std::string, JsonValue>>;

struct JsonValue {
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, JsonArray, JsonObject> v;

  JsonValue() : v(nullptr) {}
  JsonValue(std::nullptr_t) : v(nullptr) {}              // NOLINT
  JsonValue(bool b) : v(b) {}                            // NOLINT
  JsonValue(int i) : v(static_cast<int64_t>(i)) {}       // NOLINT
  JsonValue(unsigned i) : v(static_cast<int64_t>(i)) {}  // NOLINT
  JsonValue(int64_t i) : v(i) {}                         // NOLINT
  JsonValue(uint64_t i) : v(static_cast<int64_t>(i)) {}  // NOLINT
  JsonValue(double d) : v(d) {}                          // NOLINT
  JsonValue(const char* s) : v(std::string(s)) {}        // NOLINT
  JsonValue(std::string s) : v(std::move(s)) {}          // NOLINT
  JsonValue(std::string_view s) : v(std::string(s)) {}   // NOLINT
  JsonValue(JsonArray a) : v(std::move(a)) {}            // NOLINT
  JsonValue(JsonObject o) : v(std::move(o)) {}           // NOLINT
};

// The whole document, with a trailing newline.
std::string WriteJson(const JsonValue& value);

// The "meta" and "errors" members every Slurm 22.05 JSON reply starts with.
JsonObject SlurmJsonMeta();

}  // namespace drover::cli
