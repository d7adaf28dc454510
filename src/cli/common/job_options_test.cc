// Every option of the shared table, in every spelling: -X value, -Xvalue, --name=value,
// --name value, "#SBATCH --name=value", "#SBATCH -X value" and its SBATCH_* variable all
// build the same JobSpec, and that JobSpec holds the value where the controller reads it.
#include "cli/common/job_options.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "cli/common/input_env.h"
#include "cli/common/job_spec_builder.h"
#include "cli/common/sbatch_directives.h"

namespace drover::cli {
namespace {

SubmitContext TestContext() {
  SubmitContext c;
  c.now = TimePoint(std::chrono::seconds(1'790'000'000));
  c.cwd = "/home/u";
  c.env = {{"HOME", "/home/u"}, {"SLURM_CONF", "/etc/slurm.conf"}};
  c.hostname = "login1";
  c.default_name = "job.sh";
  c.caller_uid = 1000;
  return c;
}

v1::JobSpec Build(const JobOptions& o) {
  auto spec = BuildJobSpec(o, TestContext());
  EXPECT_TRUE(spec.has_value()) << spec.error().ToString();
  return spec.has_value() ? *spec : v1::JobSpec();
}

std::optional<v1::JobSpec> FromArgs(std::vector<std::string> args) {
  JobOptions o;
  o.current_source = OptionSource::kCommandLine;
  std::vector<std::string> pos;
  if (auto f = ParseAndApply(args, kSbatch, Permute::kStopAtFirst, o, &pos)) {
    ADD_FAILURE() << f->error.message();
    return std::nullopt;
  }
  EXPECT_TRUE(pos.empty());
  return Build(o);
}

std::optional<v1::JobSpec> FromScript(const std::string& lines) {
  JobOptions o;
  if (auto f =
          ApplyScriptDirectives("#!/bin/sh\n" + lines + "\nhostname\n", "job.sh", kSbatch, o)) {
    ADD_FAILURE() << f->error.message() << " " << f->where;
    return std::nullopt;
  }
  return Build(o);
}

std::optional<v1::JobSpec> FromEnv(const std::string& name, const std::string& value) {
  JobOptions o;
  if (auto f = ApplyInputEnvironment({{name, value}}, kSbatch, o)) {
    ADD_FAILURE() << f->error.message();
    return std::nullopt;
  }
  return Build(o);
}

struct Case {
  std::string long_name;
  char short_name;
  std::string value;  // empty: a flag
  std::string env;    // SBATCH_* variable; empty: none
  std::function<void(const v1::JobSpec&)> check;
};

std::vector<Case> Cases() {
  return {
      {"job-name", 'J', "myjob", "SBATCH_JOB_NAME",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.name(), "myjob"); }},
      {"partition", 'p', "gpu,cpu", "SBATCH_PARTITION",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.partitions_size(), 2);
         EXPECT_EQ(s.partitions(0), "gpu");
         EXPECT_EQ(s.partitions(1), "cpu");
       }},
      {"nodes", 'N', "2-4", "",
       [](const v1::JobSpec& s) {
         EXPECT_EQ(s.min_nodes(), 2u);
         EXPECT_EQ(s.max_nodes(), 4u);
       }},
      {"nodes", 'N', "3", "",
       [](const v1::JobSpec& s) {
         EXPECT_EQ(s.min_nodes(), 3u);
         EXPECT_EQ(s.max_nodes(), 0u);
       }},
      {"ntasks", 'n', "8", "", [](const v1::JobSpec& s) { EXPECT_EQ(s.num_tasks(), 8u); }},
      {"cpus-per-task", 'c', "4", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.cpus_per_task(), 4u); }},
      {"ntasks-per-node", 0, "2", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.ntasks_per_node(), 2u); }},
      {"ntasks-per-core", 0, "1", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.ntasks_per_core(), 1u); }},
      {"ntasks-per-socket", 0, "3", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.ntasks_per_socket(), 3u); }},
      {"threads-per-core", 0, "2", "SBATCH_THREADS_PER_CORE",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.threads_per_core(), 2u); }},
      {"mincpus", 0, "16", "", [](const v1::JobSpec& s) { EXPECT_EQ(s.min_cpus_per_node(), 16u); }},
      {"mem", 0, "10G", "SBATCH_MEM_PER_NODE",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.mem_per_node_mb(), 10240u); }},
      {"mem-per-cpu", 0, "512", "SBATCH_MEM_PER_CPU",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.mem_per_cpu_mb(), 512u); }},
      {"mem-per-gpu", 0, "2G", "SBATCH_MEM_PER_GPU",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.mem_per_gpu_mb(), 2048u); }},
      {"tmp", 0, "1G", "", [](const v1::JobSpec& s) { EXPECT_EQ(s.tmp_disk_mb(), 1024u); }},
      {"time", 't', "1-02:03:04", "SBATCH_TIMELIMIT",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.time_limit_s(), 93784); }},
      {"time", 't', "UNLIMITED", "SBATCH_TIMELIMIT",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.time_limit_s(), -1); }},
      {"time-min", 0, "30", "", [](const v1::JobSpec& s) { EXPECT_EQ(s.time_min_s(), 1800); }},
      {"begin", 'b', "2026-12-01T10:00:00", "",
       [](const v1::JobSpec& s) { EXPECT_GT(s.begin_time(), 1'790'000'000); }},
      {"deadline", 0, "now+2hours", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.deadline_time(), 1'790'000'000 + 7200); }},
      {"output", 'o', "out_%j.txt", "SBATCH_OUTPUT",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.std_out(), "out_%j.txt"); }},
      {"error", 'e', "err_%x.txt", "SBATCH_ERROR",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.std_err(), "err_%x.txt"); }},
      {"input", 'i', "/dev/null", "SBATCH_INPUT",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.std_in(), "/dev/null"); }},
      {"chdir", 'D', "sub", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.work_dir(), "/home/u/sub"); }},
      {"chdir", 'D', "/scratch", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.work_dir(), "/scratch"); }},
      {"nodelist", 'w', "n[1-2]", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.node_list(), "n[1-2]"); }},
      {"exclude", 'x', "n3", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.exclude_node_list(), "n3"); }},
      {"exclusive", 0, "", "SBATCH_EXCLUSIVE",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.sharing(), v1::SHARING_MODE_EXCLUSIVE); }},
      {"exclusive", 0, "user", "SBATCH_EXCLUSIVE",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.sharing(), v1::SHARING_MODE_EXCLUSIVE_USER); }},
      {"exclusive", 0, "mcs", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.sharing(), v1::SHARING_MODE_EXCLUSIVE_MCS); }},
      {"oversubscribe", 's', "", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.sharing(), v1::SHARING_MODE_OVERSUBSCRIBE); }},
      {"hold", 'H', "", "", [](const v1::JobSpec& s) { EXPECT_TRUE(s.hold()); }},
      {"requeue", 0, "", "SBATCH_REQUEUE",
       [](const v1::JobSpec& s) {
         ASSERT_TRUE(s.has_requeue());
         EXPECT_TRUE(s.requeue());
       }},
      {"no-requeue", 0, "", "SBATCH_NO_REQUEUE",
       [](const v1::JobSpec& s) {
         ASSERT_TRUE(s.has_requeue());
         EXPECT_FALSE(s.requeue());
       }},
      {"signal", 0, "B:USR1@90", "SBATCH_SIGNAL",
       [](const v1::JobSpec& s) {
         EXPECT_EQ(s.signal().signal(), 10);
         EXPECT_EQ(s.signal().lead_time_s(), 90);
         EXPECT_TRUE(s.signal().batch_only());
         EXPECT_FALSE(s.signal().reservation());
       }},
      {"signal", 0, "SIGTERM", "",
       [](const v1::JobSpec& s) {
         EXPECT_EQ(s.signal().signal(), 15);
         EXPECT_EQ(s.signal().lead_time_s(), 60);
       }},
      {"signal", 0, "R:2", "",
       [](const v1::JobSpec& s) {
         EXPECT_EQ(s.signal().signal(), 2);
         EXPECT_TRUE(s.signal().reservation());
       }},
      {"open-mode", 0, "append", "SBATCH_OPEN_MODE",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.open_mode(), v1::OPEN_MODE_APPEND); }},
      {"open-mode", 0, "truncate", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.open_mode(), v1::OPEN_MODE_TRUNCATE); }},
      {"account", 'A', "research", "SBATCH_ACCOUNT",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.account(), "research"); }},
      {"qos", 'q', "high", "SBATCH_QOS", [](const v1::JobSpec& s) { EXPECT_EQ(s.qos(), "high"); }},
      {"comment", 0, "my comment", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.comment(), "my comment"); }},
      {"reservation", 0, "maint", "SBATCH_RESERVATION",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.reservations_size(), 1);
         EXPECT_EQ(s.reservations(0), "maint");
       }},
      {"wckey", 0, "proj", "SBATCH_WCKEY",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.wckey(), "proj"); }},
      {"gres", 0, "gpu:nvidia_l40s:2", "SBATCH_GRES",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.gres_size(), 1);
         EXPECT_EQ(s.gres(0).name(), "gpu");
         EXPECT_EQ(s.gres(0).type(), "nvidia_l40s");
         EXPECT_EQ(s.gres(0).count(), 2);
         EXPECT_EQ(s.gres(0).scope(), v1::TRES_SCOPE_PER_NODE);
       }},
      {"gpus", 'G', "2", "SBATCH_GPUS",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.gres_size(), 1);
         EXPECT_EQ(s.gres(0).count(), 2);
         EXPECT_EQ(s.gres(0).scope(), v1::TRES_SCOPE_PER_JOB);
       }},
      {"gpus-per-node", 0, "a100:4", "SBATCH_GPUS_PER_NODE",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.gres_size(), 1);
         EXPECT_EQ(s.gres(0).type(), "a100");
         EXPECT_EQ(s.gres(0).scope(), v1::TRES_SCOPE_PER_NODE);
       }},
      {"gpus-per-task", 0, "1", "SBATCH_GPUS_PER_TASK",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.gres_size(), 1);
         EXPECT_EQ(s.gres(0).scope(), v1::TRES_SCOPE_PER_TASK);
       }},
      {"gpus-per-socket", 0, "1", "SBATCH_GPUS_PER_SOCKET",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.gres_size(), 1);
         EXPECT_EQ(s.gres(0).scope(), v1::TRES_SCOPE_PER_SOCKET);
       }},
      {"cpus-per-gpu", 0, "6", "SBATCH_CPUS_PER_GPU",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.cpus_per_gpu(), 6u); }},
      {"constraint", 'C', "a&b", "SBATCH_CONSTRAINT",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.constraint(), "a&b"); }},
      {"array", 'a', "1-10:2,15%3", "SBATCH_ARRAY_INX",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.array().ranges_size(), 2);
         EXPECT_EQ(s.array().ranges(0).first(), 1u);
         EXPECT_EQ(s.array().ranges(0).last(), 10u);
         EXPECT_EQ(s.array().ranges(0).step(), 2u);
         EXPECT_EQ(s.array().ranges(1).first(), 15u);
         EXPECT_EQ(s.array().max_running(), 3u);
       }},
      {"dependency", 'd', "afterok:42:43_2,singleton", "",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.dependency().items_size(), 3);
         EXPECT_EQ(s.dependency().items(0).type(), v1::DEPENDENCY_TYPE_AFTER_OK);
         EXPECT_EQ(s.dependency().items(0).job_id(), 42u);
         EXPECT_EQ(s.dependency().items(1).array_task_id(), 2u);
         EXPECT_EQ(s.dependency().items(2).type(), v1::DEPENDENCY_TYPE_SINGLETON);
         EXPECT_FALSE(s.dependency().any());
       }},
      {"mail-type", 0, "BEGIN,end", "",
       [](const v1::JobSpec& s) {
         ASSERT_EQ(s.mail_types_size(), 2);
         EXPECT_EQ(s.mail_types(0), v1::MAIL_TYPE_BEGIN);
         EXPECT_EQ(s.mail_types(1), v1::MAIL_TYPE_END);
       }},
      {"mail-user", 0, "u@example.org", "",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.mail_user(), "u@example.org"); }},
      {"nice", 0, "5", "", [](const v1::JobSpec& s) { EXPECT_EQ(s.nice(), 5); }},
      {"priority", 0, "10", "", [](const v1::JobSpec& s) { EXPECT_EQ(s.priority(), 10u); }},
      {"kill-on-invalid-dep", 0, "yes", "",
       [](const v1::JobSpec& s) { EXPECT_TRUE(s.kill_on_invalid_dependency()); }},
      {"no-kill", 'k', "", "SBATCH_NO_KILL",
       [](const v1::JobSpec& s) { EXPECT_TRUE(s.no_kill()); }},
      {"overcommit", 'O', "", "SBATCH_OVERCOMMIT",
       [](const v1::JobSpec& s) { EXPECT_TRUE(s.overcommit()); }},
      {"contiguous", 0, "", "", [](const v1::JobSpec& s) { EXPECT_TRUE(s.contiguous()); }},
      {"spread-job", 0, "", "SBATCH_SPREAD_JOB",
       [](const v1::JobSpec& s) { EXPECT_TRUE(s.spread_job()); }},
      {"use-min-nodes", 0, "", "SBATCH_USE_MIN_NODES",
       [](const v1::JobSpec& s) { EXPECT_TRUE(s.use_min_nodes()); }},
      {"core-spec", 'S', "2", "SBATCH_CORE_SPEC",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.core_spec(), 2u); }},
      {"container", 0, "/oci/bundle", "SBATCH_CONTAINER",
       [](const v1::JobSpec& s) { EXPECT_EQ(s.container(), "/oci/bundle"); }},
      {"get-user-env", 0, "", "SBATCH_GET_USER_ENV",
       [](const v1::JobSpec& s) { EXPECT_TRUE(s.get_user_env()); }},
      {"distribution", 'm', "cyclic:block", "SBATCH_DISTRIBUTION",
       [](const v1::JobSpec& s) {
         EXPECT_NE(std::find(s.environment().begin(), s.environment().end(),
                             "SLURM_DISTRIBUTION=cyclic:block"),
                   s.environment().end());
       }},
      {"export", 0, "NONE", "SBATCH_EXPORT",
       [](const v1::JobSpec& s) {
         EXPECT_TRUE(s.get_user_env());
         for (const auto& e : s.environment()) EXPECT_TRUE(e.starts_with("SLURM_")) << e;
       }},
  };
}

TEST(JobOptionsTest, EverySpellingBuildsTheSameSpec) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.long_name + "=" + c.value);
    bool flag = c.value.empty();
    std::vector<std::vector<std::string>> arg_forms;
    std::vector<std::string> lines;
    if (flag) {
      arg_forms.push_back({"--" + c.long_name});
      lines.push_back("#SBATCH --" + c.long_name);
      if (c.short_name != 0) {
        arg_forms.push_back({std::string("-") + c.short_name});
        lines.push_back(std::string("#SBATCH -") + c.short_name);
      }
    } else {
      arg_forms.push_back({"--" + c.long_name + "=" + c.value});
      lines.push_back("#SBATCH --" + c.long_name + "=\"" + c.value + "\"");
      lines.push_back("#SBATCH --" + c.long_name + "=\"" + c.value + "\"  # trailing comment");
      // An optional argument is only ever attached ("--exclusive=user").
      const JobOptionRow* row = nullptr;
      for (const auto& r : JobOptionTable()) {
        if (r.long_name == c.long_name && (r.commands & kSbatch)) row = &r;
      }
      ASSERT_NE(row, nullptr);
      if (row->arg == ArgKind::kRequired) {
        arg_forms.push_back({"--" + c.long_name, c.value});
        if (c.short_name != 0) {
          arg_forms.push_back({std::string("-") + c.short_name, c.value});
          arg_forms.push_back({std::string("-") + c.short_name + c.value});
          lines.push_back(std::string("#SBATCH -") + c.short_name + " '" + c.value + "'");
        }
      }
    }
    std::optional<v1::JobSpec> reference = FromArgs(arg_forms.front());
    ASSERT_TRUE(reference.has_value());
    c.check(*reference);
    for (const auto& args : arg_forms) {
      auto spec = FromArgs(args);
      ASSERT_TRUE(spec.has_value()) << args.front();
      EXPECT_EQ(spec->SerializeAsString(), reference->SerializeAsString()) << args.front();
    }
    for (const auto& line : lines) {
      auto spec = FromScript(line);
      ASSERT_TRUE(spec.has_value()) << line;
      EXPECT_EQ(spec->DebugString(), reference->DebugString()) << line;
    }
    if (!c.env.empty()) {
      auto spec = FromEnv(c.env, c.value);
      ASSERT_TRUE(spec.has_value()) << c.env;
      EXPECT_EQ(spec->DebugString(), reference->DebugString()) << c.env;
    }
  }
}

TEST(JobOptionsTest, EveryRowHasASetterAndUniqueLettersPerCommand) {
  for (uint8_t command : {uint8_t{kSbatch}, uint8_t{kSalloc}, uint8_t{kSrun}}) {
    std::set<char> letters;
    std::set<std::string_view> names;
    for (const auto& row : JobOptionTable()) {
      ASSERT_NE(row.set, nullptr) << row.long_name;
      if ((row.commands & command) == 0) continue;
      EXPECT_TRUE(names.insert(row.long_name).second) << row.long_name;
      if (row.short_name != 0) {
        EXPECT_TRUE(letters.insert(row.short_name).second) << row.short_name;
      }
    }
  }
}

struct BadValue {
  std::vector<std::string> args;
  std::string message;
  bool usage = false;
};

TEST(JobOptionsTest, BadValuesAreWordedAsSlurm) {
  const BadValue kCases[] = {
      {{"-t", "notatime"}, "Invalid --time specification"},
      {{"--time-min=x"}, "Invalid --time-min specification"},
      {{"--begin=someday"}, "Invalid --begin specification"},
      {{"--deadline=x"}, "Invalid --deadline specification"},
      {{"-N", "x"}, "\"x\" is not a valid node count"},
      {{"-N", "4-2"}, "Maximum node count 2 is less than minimum node count 4"},
      {{"-n", "0"}, "Invalid numeric value \"0\" for --ntasks."},
      {{"-c", "two"}, "Invalid numeric value \"two\" for --cpus-per-task."},
      {{"--ntasks-per-node=-1"}, "Invalid numeric value \"-1\" for --ntasks-per-node."},
      {{"--mem=abc"}, "Invalid --mem specification"},
      {{"--mem-per-cpu=1X"}, "Invalid --mem-per-cpu specification"},
      {{"--tmp=x"}, "Invalid --tmp specification"},
      {{"--mem=1G", "--mem-per-cpu=1G"},
       "--mem, --mem-per-cpu, and --mem-per-gpu are mutually exclusive."},
      {{"--signal=FOO"}, "Invalid --signal specification"},
      {{"--signal=X:10"}, "Invalid --signal specification"},
      {{"--signal=10@-1"}, "Invalid --signal specification"},
      {{"--exclusive=bad"}, "Invalid --exclusive specification"},
      {{"--open-mode=x"}, "Invalid --open-mode argument: x. Ignored"},
      {{"--mail-type=NOPE"}, "--mail-type=NOPE invalid"},
      {{"--gres=gpu:0x:1:2"}, "Invalid --gres specification"},
      {{"--gpus=:"}, "Invalid --gpus specification"},
      {{"--array=5-1"}, "Invalid --array specification"},
      {{"--kill-on-invalid-dep=maybe"}, "Invalid --kill-on-invalid-dep specification"},
      {{"--distribution=diagonal"}, "Invalid --distribution specification"},
      {{"--nice=9999999999"}, "Invalid --nice value, out of range (+/- 2147483645)"},
      {{"--priority=-3"}, "Priority must be >= 0"},
      {{"--propagate=BOGUS"}, "--propagate=BOGUS is not valid."},
      {{"--nosuchoption"}, "unrecognized option '--nosuchoption'", true},
      {{"-N"}, "option requires an argument -- 'N'", true},
      {{"--hold=yes"}, "option '--hold' doesn't allow an argument", true},
  };
  for (const BadValue& c : kCases) {
    JobOptions o;
    o.current_source = OptionSource::kCommandLine;
    auto failure = ParseAndApply(c.args, kSbatch, Permute::kStopAtFirst, o, nullptr);
    ASSERT_TRUE(failure.has_value()) << c.args.front();
    EXPECT_EQ(failure->error.message(), c.message);
    EXPECT_EQ(failure->usage, c.usage) << c.args.front();
  }
}

TEST(JobOptionsTest, ReportIsSlurmsWordingAndExitCode) {
  std::ostringstream err;
  OptionFailure usage{true, Error(ErrorCode::kInvalidArgument, "unrecognized option '--x'"), {}};
  EXPECT_EQ(ReportOptionFailure(usage, "sbatch", err), 255);
  EXPECT_EQ(err.str(),
            "sbatch: unrecognized option '--x'\nTry \"sbatch --help\" for more information\n");
  err.str("");
  OptionFailure value{false, Error(ErrorCode::kInvalidArgument, "Invalid --time specification"),
                      "in batch script job.sh line 3: #SBATCH -t x"};
  EXPECT_EQ(ReportOptionFailure(value, "sbatch", err), 255);
  EXPECT_EQ(err.str(),
            "sbatch: error: Invalid --time specification\n"
            "sbatch: error: in batch script job.sh line 3: #SBATCH -t x\n");
}

TEST(JobOptionsTest, SbatchOnlyOptionsAreUnknownToSrun) {
  JobOptions o;
  std::vector<std::string> args = {"--wrap=true"};
  auto failure = ParseAndApply(args, kSrun, Permute::kStopAtFirst, o, nullptr);
  ASSERT_TRUE(failure.has_value());
  EXPECT_TRUE(failure->usage);
}

TEST(JobOptionsTest, VerboseAndQuietCount) {
  JobOptions o;
  std::vector<std::string> args = {"-vvv", "-Q"};
  ASSERT_FALSE(ParseAndApply(args, kSbatch, Permute::kStopAtFirst, o, nullptr).has_value());
  EXPECT_EQ(o.verbose, 3);
  EXPECT_EQ(o.quiet, 1);
}

TEST(JobOptionsTest, UidIsForRootOnlyAndSentExplicitly) {
  JobOptions o;
  o.uid = "1234";
  o.gid = "55";
  SubmitContext ctx = TestContext();
  auto refused = BuildJobSpec(o, ctx);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message(), "--uid only permitted by root user");
  ctx.caller_uid = 0;
  auto spec = BuildJobSpec(o, ctx);
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->on_behalf_uid(), 1234u);
  EXPECT_EQ(spec->on_behalf_gid(), 55u);
}

}  // namespace
}  // namespace drover::cli
