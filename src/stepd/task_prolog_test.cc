#include "stepd/task_prolog.h"

#include <gtest/gtest.h>

namespace drover::stepd {
namespace {

using Kind = TaskPrologRequest::Kind;

TEST(TaskPrologOutput, ReadsExportUnsetAndPrintInOrder) {
  auto r = ParseTaskPrologOutput(
      "export FOO=bar baz\nunset HOME\nprint hello world\nexport EMPTY=\nexport EQ=a=b");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].kind, Kind::kExport);
  EXPECT_EQ(r[0].name, "FOO");
  EXPECT_EQ(r[0].value, "bar baz");  // the rest of the line, spaces and all
  EXPECT_EQ(r[1].kind, Kind::kUnset);
  EXPECT_EQ(r[1].name, "HOME");
  EXPECT_EQ(r[2].kind, Kind::kPrint);
  EXPECT_EQ(r[2].value, "hello world");
  EXPECT_EQ(r[3].name, "EMPTY");
  EXPECT_EQ(r[3].value, "");
  EXPECT_EQ(r[4].name, "EQ");  // the first '=' splits; no trailing newline needed
  EXPECT_EQ(r[4].value, "a=b");
}

TEST(TaskPrologOutput, IgnoresWhatIsNotARequest) {
  auto r = ParseTaskPrologOutput(
      "echo hi\nexport NOEQUALS\nexport =x\nexport A B=c\n  export LEAD=1\nEXPORT X=1\n"
      "exportFOO=1\nunset \nunset A B\nprint\n\n");
  EXPECT_TRUE(r.empty());
}

TEST(TaskPrologOutput, PrintKeepsItsTextAsWritten) {
  auto r = ParseTaskPrologOutput("print \nprint   spaced  \n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].value, "");
  EXPECT_EQ(r[1].value, "  spaced  ");
}

TEST(TaskPrologOutput, RequestsApplyInOrderToTheEnvironment) {
  std::vector<std::string> env = {"PATH=/bin", "HOME=/home/alice", "KEEP=1", "HOME=/dup"};
  auto printed = ApplyTaskPrologRequests(
      ParseTaskPrologOutput("export PATH=/opt/bin:/bin\nunset HOME\nexport NEW=x\nprint one\n"
                            "export NEW=y\nprint two\nunset MISSING\nexport GONE=1\nunset GONE\n"),
      env);
  EXPECT_EQ(printed, "one\ntwo\n");
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/opt/bin:/bin", "KEEP=1", "NEW=y"}));
}

TEST(TaskPrologOutput, NamesArePrefixSafe) {
  std::vector<std::string> env = {"FOOBAR=1", "FOO=2"};
  (void)ApplyTaskPrologRequests(ParseTaskPrologOutput("unset FOO\nexport FOOB=3\n"), env);
  EXPECT_EQ(env, (std::vector<std::string>{"FOOBAR=1", "FOOB=3"}));
}

}  // namespace
}  // namespace drover::stepd
