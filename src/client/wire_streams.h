// The streaming calls of the CLI over wire::Stream (src/wire/stream.h): AllocateJob's
// event stream for WireControllerClient, and StepIo.LaunchTasks for srun. Each call has
// its own HTTP/2 connection, driven by the caller's poll loop.
//
// The call's failure (a non-zero grpc-status) becomes status()'s Error through
// rpc::ErrorFromCallStatus; a broken connection is kUnavailable.
//
// Thread-safety: one owner thread per stream.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "client/controller_client.h"
#include "client/step_io.h"

namespace drover::client {

using StreamDeadline = std::chrono::steady_clock::time_point;

// Opens `path` (a server-streaming method whose replies are JobEvents) on `target`, sends
// `request` (serialized) and half-closes.
Result<std::unique_ptr<JobEventStream>> OpenJobEventStream(std::string_view target,
                                                           std::string_view path,
                                                           std::string credential,
                                                           std::string_view request,
                                                           StreamDeadline connect_deadline);

// Opens /drover.v1.StepIo/LaunchTasks on `target` and sends `launch` first.
Result<std::unique_ptr<StepIoStream>> OpenLaunchTasksStream(std::string_view target,
                                                            std::string credential,
                                                            const v1::StepIoRequest& launch,
                                                            StreamDeadline connect_deadline);

}  // namespace drover::client
