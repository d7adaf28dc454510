#include "cli/common/format_json.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/common/version.h"

namespace drover::cli {
namespace {

void Escape(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '/':
        *out += "\\/";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          *out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void Write(std::string* out, const JsonValue& value, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string inner(static_cast<size_t>(indent + 2), ' ');
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          *out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          *out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          *out += std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          *out += fmt::format("{}", v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          Escape(out, v);
        } else if constexpr (std::is_same_v<T, JsonArray>) {
          *out += "[\n";
          for (size_t i = 0; i < v.size(); ++i) {
            *out += inner;
            Write(out, v[i], indent + 2);
            *out += i + 1 < v.size() ? ",\n" : "\n";
          }
          *out += pad + "]";
        } else {
          *out += "{\n";
          for (size_t i = 0; i < v.size(); ++i) {
            *out += inner;
            Escape(out, v[i].first);
            *out += ": ";
            Write(out, v[i].second, indent + 2);
            *out += i + 1 < v.size() ? ",\n" : "\n";
          }
          *out += pad + "}";
        }
      },
      value.v);
}

}  // namespace

std::string WriteJson(const JsonValue& value) {
  std::string out;
  Write(&out, value, 0);
  out.push_back('\n');
  return out;
}

JsonObject SlurmJsonMeta() {
  int major = 0, minor = 0, micro = 0;
  std::sscanf(kSlurmCompatVersion, "%d.%d.%d", &major, &minor, &micro);
  JsonObject plugin{{"type", "openapi/v0.0.38"}, {"name", "Slurm OpenAPI v0.0.38"}};
  JsonObject version{{"major", major}, {"micro", micro}, {"minor", minor}};
  JsonObject slurm{{"version", version}, {"release", kSlurmCompatVersion}};
  JsonObject meta{{"plugin", plugin}, {"Slurm", slurm}};
  return JsonObject{{"meta", meta}, {"errors", JsonArray{}}};
}

}  // namespace drover::cli
