#include "cli/common/format_spec.h"

#include <cctype>

namespace drover::cli {
namespace {

Error Invalid(std::string why) {
  return Error(ErrorCode::kInvalidArgument, "Invalid format specification: " + why);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads a width at text[*i...]; none when there are no digits.
Result<std::optional<int>> ReadWidth(std::string_view text, size_t* i) {
  if (*i >= text.size() || !IsDigit(text[*i])) return std::optional<int>();
  long value = 0;
  while (*i < text.size() && IsDigit(text[*i])) {
    value = value * 10 + (text[*i] - '0');
    if (value > kMaxFormatWidth) return Invalid("field width too large");
    ++*i;
  }
  return std::optional<int>(static_cast<int>(value));
}

}  // namespace

Result<FormatSpec> ParsePercentFormat(std::string_view text) {
  FormatSpec spec;
  spec.style = FormatStyle::kPercent;
  std::string* literal = &spec.prefix;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '%') {
      literal->push_back(c);
      ++i;
      continue;
    }
    ++i;
    if (i < text.size() && text[i] == '%') {
      literal->push_back('%');
      ++i;
      continue;
    }
    FormatField field;
    while (i < text.size() && (text[i] == '.' || text[i] == '-' || text[i] == '#')) {
      if (text[i] == '.') field.right = true;
      if (text[i] == '-') field.right = false;
      if (text[i] == '#') field.auto_width = true;
      ++i;
    }
    ASSIGN_OR_RETURN(field.width, ReadWidth(text, &i));
    if (i >= text.size()) return Invalid("'%' at the end of \"" + std::string(text) + "\"");
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
      return Invalid(std::string("'%") + text[i] + "' in \"" + std::string(text) + "\"");
    }
    field.name = std::string(1, text[i]);
    ++i;
    spec.fields.push_back(std::move(field));
    literal = &spec.fields.back().suffix;
  }
  return spec;
}

Result<FormatSpec> ParseLongFormat(std::string_view text) {
  FormatSpec spec;
  spec.style = FormatStyle::kLong;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;  // "a,,b" and a trailing comma, as Slurm skips them
    FormatField field;
    size_t colon = item.find(':');
    field.name = std::string(item.substr(0, colon));
    if (field.name.empty()) return Invalid("a field with no name in \"" + std::string(text) + "\"");
    if (colon != std::string_view::npos) {
      std::string_view rest = item.substr(colon + 1);
      size_t i = 0;
      if (i < rest.size() && rest[i] == '.') {
        field.right = true;
        ++i;
      }
      ASSIGN_OR_RETURN(field.width, ReadWidth(rest, &i));
      field.suffix = std::string(rest.substr(i));
    }
    spec.fields.push_back(std::move(field));
  }
  return spec;
}

namespace {

void AppendEscaped(std::string* out, std::string_view literal) {
  for (char c : literal) {
    if (c == '%') out->push_back('%');
    out->push_back(c);
  }
}

}  // namespace

std::string FormatSpecToString(const FormatSpec& spec) {
  std::string out;
  if (spec.style == FormatStyle::kPercent) {
    AppendEscaped(&out, spec.prefix);
    for (const FormatField& f : spec.fields) {
      out.push_back('%');
      if (f.right) out.push_back('.');
      if (f.auto_width) out.push_back('#');
      if (f.width) out += std::to_string(*f.width);
      out += f.name;
      AppendEscaped(&out, f.suffix);
    }
    return out;
  }
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const FormatField& f = spec.fields[i];
    if (i > 0) out.push_back(',');
    out += f.name;
    if (f.right || f.width || !f.suffix.empty()) {
      out.push_back(':');
      if (f.right) out.push_back('.');
      if (f.width) out += std::to_string(*f.width);
      out += f.suffix;
    }
  }
  return out;
}

std::string FormatCell(std::string_view text, int width, bool right) {
  if (width <= 0) return std::string(text);
  size_t w = static_cast<size_t>(width);
  if (text.size() >= w) return std::string(text.substr(0, w));
  std::string pad(w - text.size(), ' ');
  return right ? pad + std::string(text) : std::string(text) + pad;
}

}  // namespace drover::cli
