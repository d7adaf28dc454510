#include "rpc/runtime.h"

#include <absl/synchronization/mutex.h>

namespace drover::rpc {

void TuneRuntime() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

}  // namespace drover::rpc
