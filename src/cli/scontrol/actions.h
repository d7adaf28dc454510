// scontrol's actions: update job, update node, hold, uhold, release, requeue,
// requeuehold and reconfigure. Each parses its words first (a typo is reported without a
// controller, as Slurm's scontrol does), then makes the client, sends one request and
// reports in Slurm's words ("slurm_update error: Invalid job id specified"), returning the
// exit code. ping lives in show_ctl.cc.
//
// Thread-safety: as Run(); the client is used from one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/common/invocation.h"
#include "cli/scontrol/scontrol.h"

namespace drover::cli::scontrol {

// `words` are what follows the command ("update JobId=42 TimeLimit=10" -> {"JobId=42",
// "TimeLimit=10"}). Update picks job or node from the keys (NodeName= -> node).
int Update(const Invocation& inv, const std::vector<std::string>& words,
           const ClientFactory& make_client);
int UpdateJob(const Invocation& inv, const std::vector<std::string>& words,
              const ClientFactory& make_client);
int UpdateNode(const Invocation& inv, const std::vector<std::string>& words,
               const ClientFactory& make_client);

// hold/uhold (user_hold) and release: job ids ("42 43", "42,43_[1-3]") or JobName=.
int Hold(const Invocation& inv, const std::vector<std::string>& words, bool user_hold,
         const ClientFactory& make_client);
int Release(const Invocation& inv, const std::vector<std::string>& words,
            const ClientFactory& make_client);
// requeue / requeuehold (hold); requeuehold State=SpecialExit.
int Requeue(const Invocation& inv, const std::vector<std::string>& words, bool hold,
            const ClientFactory& make_client);
int Reconfigure(const Invocation& inv, const ClientFactory& make_client);

}  // namespace drover::cli::scontrol
