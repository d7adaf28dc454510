// Identity: who asks. The RPC layer fills it from a verified MUNGE credential; tests state
// it. Root (uid 0) and SlurmUser act on every job and node; others only on their own jobs.
//
// Thread-safety: plain value.
#pragma once

#include <cstdint>

namespace drover::ctld {

struct Identity {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

}  // namespace drover::ctld
