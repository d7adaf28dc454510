#include "config/conf_lexer.h"

#include <fmt/core.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/strings.h"

namespace drover::config {

std::string SourceLoc::ToString() const { return fmt::format("{}:{}", file, line); }

std::string ConfigWarning::ToString() const {
  return fmt::format("{}: {}", loc.ToString(), message);
}

bool KeyEquals(std::string_view a, std::string_view b) { return EqualsIgnoreCase(a, b); }

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

namespace {

bool HasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

}  // namespace

// ---- resolvers ----------------------------------------------------------------------------

Result<std::vector<std::string>> FileIncludeResolver::Glob(const std::string& pattern) const {
  if (!HasWildcard(pattern)) {
    struct stat st;
    if (::stat(pattern.c_str(), &st) != 0) {
      return Error(ErrorCode::kNotFound,
                   fmt::format("cannot open '{}': {}", pattern, std::strerror(errno)));
    }
    return std::vector<std::string>{pattern};
  }
  glob_t g{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  if (rc != 0 && rc != GLOB_NOMATCH) {
    return Error(ErrorCode::kIo, fmt::format("cannot expand '{}'", pattern));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::string> FileIncludeResolver::Read(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error(ErrorCode::kIo, fmt::format("cannot read '{}'", path));
  return ss.str();
}

Result<std::vector<std::string>> MapIncludeResolver::Glob(const std::string& pattern) const {
  if (!HasWildcard(pattern)) {
    if (files_.count(pattern) == 0) {
      return Error(ErrorCode::kNotFound,
                   fmt::format("cannot open '{}': No such file or directory", pattern));
    }
    return std::vector<std::string>{pattern};
  }
  std::vector<std::string> out;
  for (const auto& [path, contents] : files_) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) out.push_back(path);
  }
  return out;  // std::map iterates in sorted order
}

Result<std::string> MapIncludeResolver::Read(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("cannot open '{}': No such file or directory", path));
  }
  return it->second;
}

// ---- lexer --------------------------------------------------------------------------------

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Drops the comment from one physical line: `#` outside quotes, `\#` is a literal `#`.
std::string StripComment(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size() && line[i + 1] == '#') {
      out += '#';
      ++i;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (c == '#' && !quoted) break;
    out += c;
  }
  return out;
}

std::string DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

Error SyntaxError(const SourceLoc& loc, std::string message) {
  return Error(ErrorCode::kConfigSyntax, std::move(message), loc.ToString());
}

class Lexer {
 public:
  Lexer(const IncludeResolver& resolver, const LexOptions& options, const LineSink& sink,
        std::vector<ConfigWarning>* warnings)
      : resolver_(resolver), options_(options), sink_(sink), warnings_(warnings) {}

  Status LexFile(std::string_view text, const std::string& file_name) {
    stack_.push_back(file_name);
    Status st = LexText(text, file_name);
    stack_.pop_back();
    return st;
  }

 private:
  Status LexText(std::string_view text, const std::string& file_name) {
    int line_no = 0;
    size_t pos = 0;
    std::string logical;
    int logical_start = 0;
    bool continuing = false;
    while (pos < text.size() || continuing) {
      if (pos >= text.size()) {  // a continuation at the very end: take what we have
        continuing = false;
        RETURN_IF_ERROR(LexLogicalLine(logical, SourceLoc{file_name, logical_start}));
        break;
      }
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view physical = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      std::string stripped = StripComment(physical);
      while (!stripped.empty() && IsSpace(stripped.back())) stripped.pop_back();
      if (!continuing) {
        logical.clear();
        logical_start = line_no;
      }
      if (!stripped.empty() && stripped.back() == '\\') {
        stripped.pop_back();
        logical += stripped;
        logical += ' ';
        continuing = true;
        continue;
      }
      logical += stripped;
      continuing = false;
      RETURN_IF_ERROR(LexLogicalLine(logical, SourceLoc{file_name, logical_start}));
    }
    return Ok();
  }

  Status LexLogicalLine(std::string_view line, const SourceLoc& loc) {
    std::string_view rest = TrimView(line);
    if (rest.empty()) return Ok();
    if (rest.size() > 7 && KeyEquals(rest.substr(0, 7), "include") && IsSpace(rest[7])) {
      return Include(TrimView(rest.substr(7)), loc);
    }
    ConfLine out;
    out.loc = loc;
    size_t i = 0;
    while (true) {
      while (i < rest.size() && IsSpace(rest[i])) ++i;
      if (i >= rest.size()) break;
      size_t key_start = i;
      while (i < rest.size() && rest[i] != '=' && !IsSpace(rest[i]) && rest[i] != '"') ++i;
      if (i >= rest.size() || rest[i] != '=') {
        size_t tok_end = i;
        while (tok_end < rest.size() && !IsSpace(rest[tok_end])) ++tok_end;
        return SyntaxError(loc, fmt::format("expected Key=Value, found '{}'",
                                            rest.substr(key_start, tok_end - key_start)));
      }
      if (i == key_start) return SyntaxError(loc, "missing key before '='");
      ConfPair pair;
      pair.key = std::string(rest.substr(key_start, i - key_start));
      pair.loc = loc;
      ++i;  // '='
      bool quoted = false;
      while (i < rest.size() && (quoted || !IsSpace(rest[i]))) {
        if (rest[i] == '"') {
          quoted = !quoted;
        } else {
          pair.value += rest[i];
        }
        ++i;
      }
      if (quoted) {
        return SyntaxError(loc, fmt::format("unbalanced quote in the value of '{}'", pair.key));
      }
      out.pairs.push_back(std::move(pair));
    }
    if (out.pairs.empty()) return Ok();
    return sink_(out);
  }

  Status Include(std::string_view arg, const SourceLoc& loc) {
    std::string path;
    if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') {
      path = std::string(arg.substr(1, arg.size() - 2));
    } else if (arg.find('"') != std::string_view::npos) {
      return SyntaxError(loc, "unbalanced quote in Include");
    } else {
      path = std::string(arg);
    }
    if (path.empty()) return SyntaxError(loc, "Include without a file name");
    if (path.find("%c") != std::string::npos) {
      std::string cluster = options_.cluster_name ? options_.cluster_name() : "";
      std::string expanded;
      for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 1 < path.size() && path[i + 1] == 'c') {
          expanded += cluster;
          ++i;
        } else {
          expanded += path[i];
        }
      }
      path = std::move(expanded);
    }
    if (path.front() != '/') {
      std::string dir = DirName(loc.file);
      if (!dir.empty()) path = (dir == "/" ? "/" : dir + "/") + path;
    }
    // "a/../b.conf" and "b.conf" are one file for cycle detection.
    path = std::filesystem::path(path).lexically_normal().string();
    if (static_cast<int>(stack_.size()) > options_.max_depth) {
      return SyntaxError(loc, fmt::format("Include of '{}' nested deeper than {} files", path,
                                          options_.max_depth));
    }
    auto matches = resolver_.Glob(path);
    if (!matches.has_value()) return matches.error().WithContext(loc.ToString());
    if (matches->empty() && warnings_ != nullptr) {
      warnings_->push_back({loc, fmt::format("Include pattern '{}' matched no files", path)});
    }
    for (const std::string& file : *matches) {
      if (std::find(stack_.begin(), stack_.end(), file) != stack_.end()) {
        std::string chain;
        for (const auto& f : stack_) chain += f + " -> ";
        return SyntaxError(loc, fmt::format("Include cycle: {}{}", chain, file));
      }
      auto text = resolver_.Read(file);
      if (!text.has_value()) return text.error().WithContext(loc.ToString());
      RETURN_IF_ERROR(LexFile(*text, file));
    }
    return Ok();
  }

  const IncludeResolver& resolver_;
  const LexOptions& options_;
  const LineSink& sink_;
  std::vector<ConfigWarning>* warnings_;
  std::vector<std::string> stack_;  // files being read, outermost first
};

}  // namespace

Status LexConf(std::string_view text, std::string_view file_name, const IncludeResolver& resolver,
               const LexOptions& options, const LineSink& sink,
               std::vector<ConfigWarning>* warnings) {
  Lexer lexer(resolver, options, sink, warnings);
  return lexer.LexFile(text, std::string(file_name));
}

}  // namespace drover::config
