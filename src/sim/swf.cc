#include "sim/swf.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace drover::sim {
namespace {

constexpr std::array<const char*, kSwfFields> kFieldNames = {
    "job number",          "submit time",       "wait time",      "run time",
    "allocated processors", "average CPU time", "used memory",    "requested processors",
    "requested time",      "requested memory",  "status",         "user id",
    "group id",            "executable",        "queue",          "partition",
    "preceding job",       "think time"};

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// "; MaxProcs: 128" -> 128 when the key matches, else nullopt.
std::optional<int64_t> HeaderValue(std::string_view line, std::string_view key) {
  line.remove_prefix(1);  // ';'
  while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
  if (line.substr(0, key.size()) != key) return std::nullopt;
  line.remove_prefix(key.size());
  while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
  if (ec != std::errc()) return std::nullopt;
  return v;
}

}  // namespace

Result<SwfTrace> ParseSwf(std::string_view text, std::string_view file) {
  SwfTrace trace;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    auto where = [&] { return std::string(file) + ":" + std::to_string(line_no) + ": "; };
    size_t first = 0;
    while (first < line.size() && IsSpace(line[first])) ++first;
    line.remove_prefix(first);
    if (line.empty()) continue;
    if (line.front() == ';') {
      if (auto v = HeaderValue(line, "MaxProcs:")) trace.max_procs = *v;
      if (auto v = HeaderValue(line, "MaxNodes:")) trace.max_nodes = *v;
      continue;
    }
    std::array<double, kSwfFields> f{};
    int count = 0;
    while (!line.empty()) {
      size_t end = 0;
      while (end < line.size() && !IsSpace(line[end])) ++end;
      std::string_view word = line.substr(0, end);
      line.remove_prefix(end);
      while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
      if (count >= kSwfFields) {
        return Error(ErrorCode::kInvalidArgument,
                     where() + "more than " + std::to_string(kSwfFields) + " fields");
      }
      double v = 0;
      auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
      if (ec != std::errc() || ptr != word.data() + word.size() || !std::isfinite(v)) {
        return Error(ErrorCode::kInvalidArgument,
                     where() + "field " + std::to_string(count + 1) + " (" + kFieldNames[count] +
                         "): invalid value '" + std::string(word) + "': expected a number");
      }
      f[count++] = v;
    }
    if (count != kSwfFields) {
      return Error(ErrorCode::kInvalidArgument, where() + "expected " + std::to_string(kSwfFields) +
                                                    " fields, found " + std::to_string(count));
    }
    auto at = [&](int field) { return f[field - 1]; };
    auto bad = [&](int field, std::string_view why) {
      return Error(ErrorCode::kInvalidArgument, where() + "field " + std::to_string(field) + " (" +
                                                    kFieldNames[field - 1] + "): " +
                                                    std::string(why));
    };
    constexpr double kMaxSeconds = 1e12;  // ~31,000 years: beyond any trace
    if (at(2) < 0 || at(2) > kMaxSeconds) return bad(2, "expected seconds from the trace start");
    double procs = at(8) > 0 ? at(8) : at(5);
    double run = at(4);
    if (procs <= 0 || run < 0) {
      ++trace.skipped;
      continue;
    }
    if (procs > UINT32_MAX) return bad(at(8) > 0 ? 8 : 5, "too many processors");
    if (run > kMaxSeconds) return bad(4, "too long");
    double limit = at(9) > 0 ? at(9) : run;
    if (limit > kMaxSeconds) return bad(9, "too long");
    SimJob job;
    job.id = at(1) > 0 && at(1) < 1e18 ? static_cast<uint64_t>(at(1)) : trace.jobs.size() + 1;
    job.submit_s = static_cast<int64_t>(at(2));
    job.limit_s = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(limit)));
    job.run_s = std::min(static_cast<int64_t>(std::ceil(run)), job.limit_s);
    job.cpus = static_cast<uint32_t>(std::ceil(procs));  // a fraction of a CPU is one
    job.user = at(12) > 0 && at(12) < UINT32_MAX ? static_cast<uint32_t>(at(12)) : 0;
    trace.jobs.push_back(job);
  }
  return trace;
}

Result<SwfTrace> ReadSwfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, "cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Error(ErrorCode::kIo, "cannot read " + path);
  return ParseSwf(buf.str(), path);
}

}  // namespace drover::sim
