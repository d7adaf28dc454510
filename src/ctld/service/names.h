// User and group names for replies (UserId=alice(1001)), looked up in the system's
// passwd/group databases (getpwuid_r/getgrgid_r: NSS, so LDAP/SSSD users resolve too).
//
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rpc/convert_job.h"

namespace drover::ctld::service {

// Empty when the id has no entry.
std::string UserName(uint32_t uid);
std::string GroupName(uint32_t gid);
std::optional<uint32_t> UidOf(std::string_view user);

// UserName/GroupName as an rpc::NameLookup that remembers each answer: made per request,
// so one listing looks each id up once and the next request sees database changes.
// The lookup it returns is for one thread.
rpc::NameLookup SystemNames();

}  // namespace drover::ctld::service
