#include "ctld/service/names.h"

#include <grp.h>
#include <pwd.h>

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

rpc::NameLookup SystemNames() { return rpc::NameLookup{&UserName, &GroupName}; }

}  // namespace drover::ctld::service
