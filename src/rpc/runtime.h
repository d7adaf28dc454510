// Process-wide settings of the gRPC runtime for Drover's daemons, applied once at start-up
// before any server or channel exists.
//
// Thread-safety: call from main() before other threads start.
#pragma once

namespace drover::rpc {

// Turns off abseil's mutex deadlock detection, which Debian's abseil build leaves on: it
// updates a lock graph on every Mutex acquisition inside gRPC, a few percent of the
// controller's CPU under load for a check meant for debugging.
void TuneRuntime();

}  // namespace drover::rpc
