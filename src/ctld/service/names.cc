#include "ctld/service/names.h"

#include <grp.h>
#include <pwd.h>

#include <memory>
#include <unordered_map>
#include <vector>

namespace drover::ctld::service {

std::string UserName(uint32_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* out = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &out) != 0 || out == nullptr) return "";
  return out->pw_name;
}

std::string GroupName(uint32_t gid) {
  std::vector<char> buf(16384);
  group gr{};
  group* out = nullptr;
  if (getgrgid_r(gid, &gr, buf.data(), buf.size(), &out) != 0 || out == nullptr) return "";
  return out->gr_name;
}

std::optional<uint32_t> UidOf(std::string_view user) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* out = nullptr;
  std::string name(user);
  if (getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &out) != 0 || out == nullptr) {
    return std::nullopt;
  }
  return out->pw_uid;
}

rpc::NameLookup SystemNames() {
  // Each lookup reads the databases (for files: opens and scans /etc/group); a listing of
  // 10,000 jobs by a handful of users needs a handful of lookups, not 20,000.
  auto memo = [](std::string (*lookup)(uint32_t)) {
    return [lookup, cache = std::make_shared<std::unordered_map<uint32_t, std::string>>()](
               uint32_t id) -> std::string {
      auto it = cache->find(id);
      if (it == cache->end()) it = cache->emplace(id, lookup(id)).first;
      return it->second;
    };
  };
  return rpc::NameLookup{memo(&UserName), memo(&GroupName)};
}

}  // namespace drover::ctld::service
