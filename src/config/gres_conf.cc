#include "config/gres_conf.h"

#include <fmt/core.h>

#include <algorithm>

#include "config/config_values.h"

namespace drover::config {

namespace {

constexpr size_t kMaxDevicesPerLine = 4096;

const std::vector<std::string_view> kAutoDetect = {"nvml",   "nvidia", "rsmi",
                                                   "oneapi", "nrt",    "off"};
const std::vector<std::string_view> kFlags = {"CountOnly",   "explicit",      "nvidia_gpu_env",
                                              "amd_gpu_env", "intel_gpu_env", "opencl_env",
                                              "no_gpu_env",  "one_sharing",   "all_sharing"};

struct LineValues {
  GresConfRecord rec;
  std::vector<std::string> files;
  bool count_given = false;
  bool name_given = false;
};

Status ApplyPair(LineValues& v, const ConfPair& p, std::vector<ConfigWarning>* warnings) {
  GresConfRecord& r = v.rec;
  if (KeyEquals(p.key, "Name")) {
    if (p.value.empty()) return ValueError(p, "Name", "expected a GRES name, like gpu");
    r.name = p.value;
    v.name_given = true;
  } else if (KeyEquals(p.key, "Type")) {
    r.type = p.value;
  } else if (KeyEquals(p.key, "File") || KeyEquals(p.key, "MultipleFiles")) {
    auto files = ExpandBracketList(p.value, kMaxDevicesPerLine);
    if (!files.has_value()) return ValueError(p, "File", files.error());
    v.files = std::move(*files);
  } else if (KeyEquals(p.key, "Count")) {
    auto n = ParseCountWithSuffix(p.value);
    if (!n.has_value()) return ValueError(p, "Count", n.error());
    r.count = *n;
    v.count_given = true;
  } else if (KeyEquals(p.key, "Cores") || KeyEquals(p.key, "CPUs")) {
    auto cores = ParseIndexList(p.value, 1 << 16);
    if (!cores.has_value()) return ValueError(p, "Cores", cores.error());
    r.cores = std::move(*cores);
  } else if (KeyEquals(p.key, "Links")) {
    for (const std::string& l : SplitList(p.value)) {
      if (!ParseInt(l, -1, INT32_MAX).has_value()) {
        return ValueError(p, "Links", "expected a comma list of integers, like -1,0,0,2");
      }
    }
    r.links = p.value;
  } else if (KeyEquals(p.key, "Flags")) {
    for (const std::string& f : SplitList(p.value)) {
      auto i = FindKeyword(f, kFlags);
      if (!i) return ValueError(p, "Flags", fmt::format("unknown flag '{}'", f));
      r.flags.emplace_back(kFlags[*i]);
    }
  } else if (KeyEquals(p.key, "AutoDetect")) {
    if (!FindKeyword(p.value, kAutoDetect)) {
      return ValueError(p, "AutoDetect", "expected nvml, nvidia, rsmi, oneapi, nrt or off");
    }
    r.auto_detect = AsciiLower(p.value);
  } else if (KeyEquals(p.key, "NodeName")) {
    auto hl = Hostlist::Parse(p.value);
    if (!hl.has_value()) return ValueError(p, "NodeName", hl.error());
    r.node_names = p.value;
  } else {
    if (warnings != nullptr) {
      warnings->push_back({p.loc, fmt::format("unknown key '{}' ignored", p.key)});
    }
  }
  return Ok();
}

bool AppliesTo(const GresConfRecord& r, std::string_view node) {
  if (r.node_names.empty()) return true;
  auto hl = Hostlist::Parse(r.node_names);
  return hl.has_value() && hl->Contains(node);
}

}  // namespace

Result<GresConf> ParseGresConf(std::string_view text, std::string_view file_name,
                               const IncludeResolver& resolver,
                               std::vector<ConfigWarning>* warnings) {
  GresConf conf;
  LineSink sink = [&](const ConfLine& line) -> Status {
    LineValues v;
    v.rec.loc = line.loc;
    for (const ConfPair& p : line.pairs) RETURN_IF_ERROR(ApplyPair(v, p, warnings));
    if (!v.name_given) {
      // A line without Name= may only set AutoDetect (globally or for its NodeName).
      if (v.rec.auto_detect.empty()) {
        return Error(ErrorCode::kConfigSyntax,
                     "a gres.conf line needs Name= or AutoDetect=", line.loc.ToString());
      }
      if (v.rec.node_names.empty()) conf.auto_detect = v.rec.auto_detect;
      return Ok();
    }
    if (v.files.empty()) {
      conf.records.push_back(std::move(v.rec));
      return Ok();
    }
    // One record per device. A Count= must agree with the number of files.
    if (v.count_given && v.rec.count != v.files.size()) {
      const ConfPair* count_pair = nullptr;
      for (const ConfPair& p : line.pairs) {
        if (KeyEquals(p.key, "Count")) count_pair = &p;
      }
      return ValueError(*count_pair, "Count",
                        fmt::format("File= names {} devices", v.files.size()));
    }
    for (std::string& f : v.files) {
      GresConfRecord r = v.rec;
      r.file = std::move(f);
      r.count = 1;
      conf.records.push_back(std::move(r));
    }
    return Ok();
  };
  RETURN_IF_ERROR(LexConf(text, file_name, resolver, LexOptions{}, sink, warnings));
  return conf;
}

Result<GresConf> LoadGresConf(const std::string& path, std::vector<ConfigWarning>* warnings) {
  FileIncludeResolver resolver;
  auto text = resolver.Read(path);
  if (!text.has_value()) return text.error();
  return ParseGresConf(*text, path, resolver, warnings);
}

std::vector<GresConfRecord> GresForNode(const GresConf& conf, std::string_view node_name) {
  std::vector<GresConfRecord> out;
  for (const GresConfRecord& r : conf.records) {
    if (AppliesTo(r, node_name)) out.push_back(r);
  }
  return out;
}

std::vector<GresTotal> GresTotalsForNode(const GresConf& conf, std::string_view node_name) {
  std::vector<GresTotal> out;
  for (const GresConfRecord& r : GresForNode(conf, node_name)) {
    auto it = std::find_if(out.begin(), out.end(), [&](const GresTotal& t) {
      return t.name == r.name && t.type == r.type;
    });
    if (it == out.end()) {
      out.push_back({r.name, r.type, r.count});
    } else {
      it->count += r.count;
    }
  }
  return out;
}

}  // namespace drover::config
