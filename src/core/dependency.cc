#include "core/dependency.h"

#include <algorithm>
#include <charconv>

#include "base/strings.h"

namespace drover {
namespace {

constexpr int64_t kMaxDelayMinutes = 365LL * 24 * 60;

std::optional<uint32_t> ReadU32(std::string_view s) {
  uint32_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<DependencyKind> KindFromName(std::string_view name) {
  static constexpr DependencyKind kAll[] = {
      DependencyKind::kAfter,      DependencyKind::kAfterAny,         DependencyKind::kAfterOk,
      DependencyKind::kAfterNotOk, DependencyKind::kAfterCorr,        DependencyKind::kAfterBurstBuffer};
  for (DependencyKind k : kAll) {
    if (EqualsIgnoreCase(name, DependencyKindName(k))) return k;
  }
  return std::nullopt;
}

Error DependencyError() { return Error(ErrorCode::kDependency); }

// One "<id>[_task|_*][+minutes]" of an item.
Result<DependencyItem> ParseTarget(std::string_view text, DependencyKind kind) {
  DependencyItem d;
  d.kind = kind;
  if (size_t plus = text.find('+'); plus != std::string_view::npos) {
    std::optional<uint32_t> minutes = ReadU32(text.substr(plus + 1));
    if (!minutes || *minutes > kMaxDelayMinutes || kind != DependencyKind::kAfter) {
      return DependencyError();
    }
    d.delay_s = int64_t{*minutes} * 60;
    text = text.substr(0, plus);
  }
  if (size_t us = text.find('_'); us != std::string_view::npos) {
    std::string_view task = text.substr(us + 1);
    if (task == "*") {
      d.all_array_tasks = true;
    } else if (std::optional<uint32_t> t = ReadU32(task)) {
      d.array_task = *t;
    } else {
      return DependencyError();
    }
    text = text.substr(0, us);
  }
  std::optional<uint32_t> id = ReadU32(text);
  if (!id || *id == 0) return DependencyError();
  d.job = *id;
  return d;
}

}  // namespace

std::string_view DependencyKindName(DependencyKind kind) {
  switch (kind) {
    case DependencyKind::kAfter:
      return "after";
    case DependencyKind::kAfterAny:
      return "afterany";
    case DependencyKind::kAfterOk:
      return "afterok";
    case DependencyKind::kAfterNotOk:
      return "afternotok";
    case DependencyKind::kAfterCorr:
      return "aftercorr";
    case DependencyKind::kAfterBurstBuffer:
      return "afterburstbuffer";
    case DependencyKind::kSingleton:
      return "singleton";
  }
  return "";
}

DependencyStatus Dependency::Overall() const {
  if (items.empty()) return DependencyStatus::kFulfilled;
  auto count = [&](DependencyStatus s) {
    return std::count_if(items.begin(), items.end(),
                         [&](const DependencyItem& i) { return i.status == s; });
  };
  const auto n = static_cast<long>(items.size());
  if (any) {
    if (count(DependencyStatus::kFulfilled) > 0) return DependencyStatus::kFulfilled;
    if (count(DependencyStatus::kFailed) == n) return DependencyStatus::kFailed;
    return DependencyStatus::kUnfulfilled;
  }
  if (count(DependencyStatus::kFailed) > 0) return DependencyStatus::kFailed;
  if (count(DependencyStatus::kFulfilled) == n) return DependencyStatus::kFulfilled;
  return DependencyStatus::kUnfulfilled;
}

Result<Dependency> ParseDependency(std::string_view text) {
  const bool has_comma = text.find(',') != std::string_view::npos;
  const bool has_any = text.find('?') != std::string_view::npos;
  // Slurm refuses a mix of ',' and '?'.
  if (text.empty() || (has_comma && has_any)) return DependencyError();
  Dependency dep;
  dep.any = has_any;
  for (const std::string& item : SplitList(text, has_any ? '?' : ',')) {
    if (item.empty()) return DependencyError();
    if (EqualsIgnoreCase(item, "singleton")) {
      dep.items.push_back({.kind = DependencyKind::kSingleton});
      continue;
    }
    std::vector<std::string> parts = SplitList(item, ':');
    if (parts.empty()) return DependencyError();  // ":" alone splits into nothing
    DependencyKind kind = DependencyKind::kAfterAny;  // a bare job id
    size_t first = 0;
    if (std::optional<DependencyKind> k = KindFromName(parts[0])) {
      if (parts.size() < 2) return DependencyError();
      kind = *k;
      first = 1;
    }
    for (size_t i = first; i < parts.size(); ++i) {
      ASSIGN_OR_RETURN(DependencyItem d, ParseTarget(parts[i], kind));
      dep.items.push_back(d);
    }
  }
  if (dep.items.empty()) return DependencyError();
  if (dep.items.size() == 1) dep.any = false;  // one item: "any" and "all" are the same
  return dep;
}

std::string DependencyText(const Dependency& dep) {
  std::string out;
  for (const DependencyItem& d : dep.items) {
    if (!out.empty()) out.push_back(dep.any ? '?' : ',');
    out += DependencyKindName(d.kind);
    if (d.kind == DependencyKind::kSingleton) continue;
    out += ':' + std::to_string(d.job);
    if (d.array_task) {
      out += '_' + std::to_string(*d.array_task);
    } else if (d.all_array_tasks) {
      out += "_*";
    }
    if (d.delay_s > 0) out += '+' + std::to_string(d.delay_s / 60);
  }
  return out;
}

}  // namespace drover
