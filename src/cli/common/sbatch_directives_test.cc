#include "cli/common/sbatch_directives.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "cli/common/input_env.h"
#include "cli/common/job_spec_builder.h"

namespace drover::cli {
namespace {

using Words = std::vector<std::string>;

TEST(SbatchDirectivesTest, SplitsLikeSlurm) {
  struct {
    std::string text;
    Words words;
  } const kCases[] = {
      {" -N 2", {"-N", "2"}},
      {" --nodes=2 -n4   --mem=1G", {"--nodes=2", "-n4", "--mem=1G"}},
      {" -N 2 # two nodes", {"-N", "2"}},
      {" -N 2# two nodes", {"-N", "2"}},
      {" --job-name=\"my job\"", {"--job-name=my job"}},
      {" -J 'a b'  -p x", {"-J", "a b", "-p", "x"}},
      {" -J a\\ b", {"-J", "a b"}},
      {" --comment=\"has # inside\"", {"--comment=has # inside"}},
      {" --comment=it\\'s", {"--comment=it's"}},
      {"", {}},
      {"   # only a comment", {}},
      {"\t-N\t3", {"-N", "3"}},
  };
  for (const auto& c : kCases) {
    auto words = SplitDirectiveWords(c.text);
    ASSERT_TRUE(words.has_value()) << c.text;
    EXPECT_EQ(*words, c.words) << c.text;
  }
  auto bad = SplitDirectiveWords(" -J \"unterminated");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "Unmatched `\"`");
}

TEST(SbatchDirectivesTest, ReadsUntilTheFirstCommand) {
  const std::string script =
      "#!/bin/bash\n"               // 1
      "#SBATCH --job-name=tf\n"     // 2
      "\n"                          // 3
      "# a comment\n"               // 4
      "  #SBATCH -N 9\n"            // 5: indented: a comment, as in Slurm
      "##SBATCH -N 8\n"             // 6: commented out
      "#SBATCH -N 2 -n 4 # both\n"  // 7
      "#SBATCH\n"                   // 8: empty directive
      "echo start\n"                // 9: the first command ends the directives
      "#SBATCH -p never\n";
  auto directives = ReadDirectives(script);
  ASSERT_TRUE(directives.has_value());
  ASSERT_EQ(directives->size(), 2u);
  EXPECT_EQ((*directives)[0].line, 2);
  EXPECT_EQ((*directives)[0].args, Words{"--job-name=tf"});
  EXPECT_EQ((*directives)[1].line, 7);
  EXPECT_EQ((*directives)[1].args, (Words{"-N", "2", "-n", "4"}));
  EXPECT_EQ((*directives)[1].text, "#SBATCH -N 2 -n 4 # both");
}

TEST(SbatchDirectivesTest, SeedGpuScript) {
  const std::string script =
      "#!/bin/bash\n"
      "#SBATCH --job-name=tf_mnist\n"
      "#SBATCH --cpus-per-task=8\n"
      "#SBATCH --nodes=1\n"
      "#SBATCH --ntasks=1\n"
      "#SBATCH --mem=10G\n"
      "#SBATCH --time=00:30:00\n"
      "#SBATCH --output=job_output_%j.txt\n"
      "#SBATCH --partition=gpu\n"
      "#SBATCH --gres=gpu:nvidia_l40s:1\n"
      "\n"
      "# ================================\n"
      "echo \">>> start: $(date)\"\n"
      "srun python3 test.py\n";
  JobOptions o;
  ASSERT_FALSE(ApplyScriptDirectives(script, "run_my_job.sh", kSbatch, o).has_value());
  SubmitContext ctx;
  ctx.cwd = "/data/jobs";
  auto spec = BuildJobSpec(o, ctx);
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->name(), "tf_mnist");
  EXPECT_EQ(spec->cpus_per_task(), 8u);
  EXPECT_EQ(spec->min_nodes(), 1u);
  EXPECT_EQ(spec->num_tasks(), 1u);
  EXPECT_EQ(spec->mem_per_node_mb(), 10240u);
  EXPECT_EQ(spec->time_limit_s(), 1800);
  EXPECT_EQ(spec->std_out(), "job_output_%j.txt");
  ASSERT_EQ(spec->partitions_size(), 1);
  EXPECT_EQ(spec->partitions(0), "gpu");
  ASSERT_EQ(spec->gres_size(), 1);
  EXPECT_EQ(spec->gres(0).type(), "nvidia_l40s");
  EXPECT_EQ(spec->gres(0).count(), 1);
}

TEST(SbatchDirectivesTest, ErrorsNameTheLine) {
  JobOptions o;
  auto failure = ApplyScriptDirectives("#!/bin/sh\n#SBATCH -N 2\n#SBATCH -t notatime\ntrue\n",
                                       "job.sh", kSbatch, o);
  ASSERT_TRUE(failure.has_value());
  EXPECT_FALSE(failure->usage);
  EXPECT_EQ(failure->error.message(), "Invalid --time specification");
  EXPECT_EQ(failure->where, "in batch script job.sh line 3: #SBATCH -t notatime");

  // The seed's typo "----ntasks-per-node=8" is an unknown option, as in Slurm. (glibc
  // quotes the whole word, "=8" included; cli/common/getopt quotes the name only.)
  failure =
      ApplyScriptDirectives("#!/bin/sh\n#SBATCH ----ntasks-per-node=8\n", "job.sh", kSbatch, o);
  ASSERT_TRUE(failure.has_value());
  EXPECT_TRUE(failure->usage);
  EXPECT_TRUE(failure->error.message().starts_with("unrecognized option '----ntasks-per-node"));
  EXPECT_EQ(failure->where, "in batch script job.sh line 2: #SBATCH ----ntasks-per-node=8");

  failure = ApplyScriptDirectives("#!/bin/sh\n\n#SBATCH -N 2 two\n", "job.sh", kSbatch, o);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->error.message(), "Invalid directive found in batch script: two");
  EXPECT_EQ(failure->where, "in batch script job.sh line 3: #SBATCH -N 2 two");

  failure = ApplyScriptDirectives("#!/bin/sh\n#SBATCH -J \"oops\n", "job.sh", kSbatch, o);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->error.message(), "job.sh: line 2: Unmatched `\"` in [#SBATCH -J \"oops]");
}

TEST(SbatchDirectivesTest, CommandLineOnlyOptionsAreIgnoredInScripts) {
  JobOptions o;
  ASSERT_FALSE(
      ApplyScriptDirectives("#!/bin/sh\n#SBATCH --wrap=hostname --help\n", "job.sh", kSbatch, o)
          .has_value());
  EXPECT_FALSE(o.wrap.has_value());
  EXPECT_FALSE(o.help);
}

// Precedence: #SBATCH < SBATCH_* < command line (sbatch(1), INPUT ENVIRONMENT VARIABLES).
TEST(SbatchDirectivesTest, Precedence) {
  auto run = [](const std::string& script, const Environment& env, Words args) {
    JobOptions o;
    EXPECT_FALSE(ApplyScriptDirectives(script, "job.sh", kSbatch, o).has_value());
    EXPECT_FALSE(ApplyInputEnvironment(env, kSbatch, o).has_value());
    o.current_source = OptionSource::kCommandLine;
    EXPECT_FALSE(ParseAndApply(args, kSbatch, Permute::kStopAtFirst, o, nullptr).has_value());
    return o;
  };
  const std::string script = "#!/bin/sh\n#SBATCH -p script -t 10 --mem-per-cpu=1G -J s\n";
  auto o = run(script, {}, {});
  EXPECT_EQ(o.partition, "script");
  o = run(script, {{"SBATCH_PARTITION", "env"}}, {});
  EXPECT_EQ(o.partition, "env");
  o = run(script, {{"SBATCH_PARTITION", "env"}}, {"-p", "cli"});
  EXPECT_EQ(o.partition, "cli");
  EXPECT_EQ(o.job_name, "s");
  EXPECT_EQ(o.time_limit, Duration::FromMinutes(10));
  // A memory request of another kind from a higher source replaces the script's.
  o = run(script, {}, {"--mem=2G"});
  EXPECT_EQ(o.memory_kind, MemoryKind::kPerNode);
  EXPECT_EQ(o.memory_mb, 2048u);
  o = run(script, {{"SBATCH_MEM_PER_NODE", "3G"}}, {});
  EXPECT_EQ(o.memory_kind, MemoryKind::kPerNode);
  // Two kinds in the script itself conflict.
  JobOptions bad;
  auto failure = ApplyScriptDirectives("#!/bin/sh\n#SBATCH --mem=1G\n#SBATCH --mem-per-cpu=1G\n",
                                       "job.sh", kSbatch, bad);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->error.message(),
            "--mem, --mem-per-cpu, and --mem-per-gpu are mutually exclusive.");
}

TEST(InputEnvTest, FlagVariablesFollowSlurmsRule) {
  EXPECT_TRUE(EnvFlagEnabled(""));
  EXPECT_TRUE(EnvFlagEnabled("yes"));
  EXPECT_TRUE(EnvFlagEnabled("YES"));
  EXPECT_TRUE(EnvFlagEnabled("1"));
  EXPECT_TRUE(EnvFlagEnabled("20"));
  EXPECT_FALSE(EnvFlagEnabled("0"));
  EXPECT_FALSE(EnvFlagEnabled("no"));
  EXPECT_FALSE(EnvFlagEnabled("true"));
  for (auto [value, set] : std::vector<std::pair<std::string, bool>>{
           {"", true}, {"yes", true}, {"1", true}, {"0", false}, {"no", false}}) {
    JobOptions o;
    ASSERT_FALSE(ApplyInputEnvironment({{"SBATCH_REQUEUE", value}}, kSbatch, o).has_value());
    EXPECT_EQ(o.requeue.has_value(), set) << value;
  }
}

TEST(InputEnvTest, FirstNamedVariableWinsAndErrorsNameIt) {
  JobOptions o;
  ASSERT_FALSE(
      ApplyInputEnvironment({{"SBATCH_CLUSTERS", "a"}, {"SLURM_CLUSTERS", "b"}}, kSbatch, o)
          .has_value());
  EXPECT_EQ(o.clusters, "a");
  JobOptions o2;
  ASSERT_FALSE(ApplyInputEnvironment({{"SLURM_CLUSTERS", "b"}}, kSbatch, o2).has_value());
  EXPECT_EQ(o2.clusters, "b");
  auto failure = ApplyInputEnvironment({{"SBATCH_TIMELIMIT", "notatime"}}, kSbatch, o);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->error.message(), "Invalid --time specification");
  EXPECT_EQ(failure->where, "in input environment variable SBATCH_TIMELIMIT=notatime");
  // Another command's variables are not read.
  JobOptions o3;
  ASSERT_FALSE(ApplyInputEnvironment({{"SALLOC_PARTITION", "x"}}, kSbatch, o3).has_value());
  EXPECT_FALSE(o3.partition.has_value());
  ASSERT_FALSE(ApplyInputEnvironment({{"SALLOC_PARTITION", "x"}}, kSalloc, o3).has_value());
  EXPECT_EQ(o3.partition, "x");
}

// Property: any set of options renders to the same JobSpec as command-line arguments and
// as #SBATCH lines.
struct Rendered {
  std::string long_name;
  char short_name;
  std::string value;
};

rc::Gen<Rendered> GenOption() {
  using rc::gen::element;
  using rc::gen::inRange;
  using rc::gen::map;
  auto num = [](int lo, int hi) {
    return map(inRange(lo, hi), [](int n) { return std::to_string(n); });
  };
  auto word = element<std::string>("debug", "gpu", "my job", "a'b", "x\"y", "a#b", "q\\w");
  return rc::gen::oneOf(map(word,
                            [](std::string v) {
                              return Rendered{"job-name", 'J', v};
                            }),
                        map(word,
                            [](std::string v) {
                              return Rendered{"comment", 0, v};
                            }),
                        map(element<std::string>("debug", "gpu,cpu"),
                            [](std::string v) {
                              return Rendered{"partition", 'p', v};
                            }),
                        map(num(1, 64),
                            [](std::string v) {
                              return Rendered{"nodes", 'N', v};
                            }),
                        map(num(1, 512),
                            [](std::string v) {
                              return Rendered{"ntasks", 'n', v};
                            }),
                        map(num(1, 64),
                            [](std::string v) {
                              return Rendered{"cpus-per-task", 'c', v};
                            }),
                        map(element<std::string>("1G", "512", "0", "2T"),
                            [](std::string v) {
                              return Rendered{"mem", 0, v};
                            }),
                        map(element<std::string>("10", "1:30", "2-00:00:00", "UNLIMITED"),
                            [](std::string v) {
                              return Rendered{"time", 't', v};
                            }),
                        map(element<std::string>("gpu:2", "gpu:nvidia_l40s:1"),
                            [](std::string v) {
                              return Rendered{"gres", 0, v};
                            }),
                        map(element<std::string>("", "user"),
                            [](std::string v) {
                              return Rendered{"exclusive", 0, v};
                            }),
                        map(element<std::string>("USR1@30", "B:TERM"),
                            [](std::string v) {
                              return Rendered{"signal", 0, v};
                            }),
                        map(element<std::string>("0-7%2", "1,3,5"),
                            [](std::string v) {
                              return Rendered{"array", 'a', v};
                            }),
                        rc::gen::just(Rendered{"hold", 'H', ""}),
                        rc::gen::just(Rendered{"requeue", 0, ""}),
                        rc::gen::just(Rendered{"overcommit", 'O', ""}));
}

std::string Quote(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

RC_GTEST_PROP(SbatchDirectivesProperty, DirectivesAndArgumentsBuildTheSameSpec, ()) {
  auto options = *rc::gen::container<std::vector<Rendered>>(GenOption());
  bool use_short = *rc::gen::arbitrary<bool>();
  Words args;
  std::string script = "#!/bin/sh\n";
  for (const Rendered& r : options) {
    bool flag = r.value.empty();
    if (flag) {
      args.push_back("--" + r.long_name);
    } else if (use_short && r.short_name != 0) {
      args.push_back(std::string("-") + r.short_name);
      args.push_back(r.value);
    } else {
      args.push_back("--" + r.long_name + "=" + r.value);
    }
    script +=
        "#SBATCH " + (flag ? "--" + r.long_name : "--" + r.long_name + "=" + Quote(r.value)) + "\n";
  }
  script += "srun hostname\n";
  JobOptions from_args, from_script;
  from_args.current_source = OptionSource::kCommandLine;
  RC_ASSERT(!ParseAndApply(args, kSbatch, Permute::kStopAtFirst, from_args, nullptr));
  RC_ASSERT(!ApplyScriptDirectives(script, "job.sh", kSbatch, from_script));
  SubmitContext ctx;
  ctx.cwd = "/tmp";
  auto a = BuildJobSpec(from_args, ctx);
  auto b = BuildJobSpec(from_script, ctx);
  RC_ASSERT(a.has_value());
  RC_ASSERT(b.has_value());
  RC_ASSERT(a->DebugString() == b->DebugString());
}

}  // namespace
}  // namespace drover::cli
