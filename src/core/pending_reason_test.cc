#include "core/pending_reason.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>
#include <string>

namespace drover {
namespace {

struct ReasonCase {
  PendingReason reason;
  const char* name;
};

// Names seen in real squeue / scontrol output (seed 000, shared/reference) and the
// families most often asked about; the spelling here is Slurm's.
const ReasonCase kCases[] = {
    {PendingReason::kNone, "None"},
    {PendingReason::kPriority, "Priority"},
    {PendingReason::kResources, "Resources"},
    {PendingReason::kDependency, "Dependency"},
    {PendingReason::kBeginTime, "BeginTime"},
    {PendingReason::kJobHeldAdmin, "JobHeldAdmin"},
    {PendingReason::kJobHeldUser, "JobHeldUser"},
    {PendingReason::kInvalidAccount, "InvalidAccount"},
    {PendingReason::kInvalidQos, "InvalidQOS"},
    {PendingReason::kPartitionTimeLimit, "PartitionTimeLimit"},
    {PendingReason::kPartitionNodeLimit, "PartitionNodeLimit"},
    {PendingReason::kPartitionDown, "PartitionDown"},
    {PendingReason::kReqNodeNotAvail, "ReqNodeNotAvail"},
    {PendingReason::kQosGrpCpuLimit, "QOSGrpCpuLimit"},
    {PendingReason::kQosMaxCpuPerUserLimit, "QOSMaxCpuPerUserLimit"},
    {PendingReason::kQosMaxGresPerUser, "QOSMaxGRESPerUser"},
    {PendingReason::kQosMaxWallDurationPerJobLimit, "QOSMaxWallDurationPerJobLimit"},
    {PendingReason::kQosGrpCpuMinutesLimit, "QOSGrpCPUMinutesLimit"},
    {PendingReason::kAssocGrpCpuMinutesLimit, "AssocGrpCPUMinutesLimit"},
    {PendingReason::kAssocMaxJobsLimit, "AssocMaxJobsLimit"},
    {PendingReason::kAssocGrpGres, "AssocGrpGRES"},
    {PendingReason::kAssocGrpBilling, "AssocGrpBilling"},
    {PendingReason::kMaxCpuPerAccount, "MaxCpuPerAccount"},
    {PendingReason::kJobHoldMaxRequeue, "JobHoldMaxRequeue"},
    {PendingReason::kJobArrayTaskLimit, "JobArrayTaskLimit"},
    {PendingReason::kDependencyNeverSatisfied, "DependencyNeverSatisfied"},
    {PendingReason::kBurstBufferStageIn, "BurstBufferStageIn"},
    {PendingReason::kDeadLine, "DeadLine"},
    {PendingReason::kOutOfMemory, "OutOfMemory"},
    {PendingReason::kFedJobLock, "FedJobLock"},
    {PendingReason::kNonZeroExitCode, "NonZeroExitCode"},
    {PendingReason::kTimeLimit, "TimeLimit"},
    {PendingReason::kBlockMaxError, "BlockMaxError"},
    {PendingReason::kMaxMemPerLimit, "MaxMemPerLimit"},
    {PendingReason::kReservationDeleted, "ReservationDeleted"},
    {PendingReason::kMaxGresRunMinsPerUser, "MaxGRESRunMinsPerUser"},
    {PendingReason::kMpiPortsBusy, "MpiPortsBusy"},
    {PendingReason::kQosMaxBbMinutesPerJob, "QOSMaxBBMinutesPerJob"},
};

TEST(PendingReasonTest, NamesAsSlurmPrintsThem) {
  for (const ReasonCase& c : kCases) {
    EXPECT_EQ(PendingReasonName(c.reason), c.name);
    auto parsed = ParsePendingReason(c.name);
    ASSERT_TRUE(parsed.has_value()) << c.name;
    EXPECT_EQ(*parsed, c.reason) << c.name;
  }
}

TEST(PendingReasonTest, CoversSlurmsWholeList) {
  // Slurm 25.05's table has 218 rows; its second "PartitionDown" is folded into the
  // first. Plus the four names 22.05 still had (BlockMaxError ... PowerReserved).
  EXPECT_EQ(AllPendingReasons().size(), 221u);
  EXPECT_EQ(AllPendingReasons().front(), PendingReason::kNone);
  EXPECT_EQ(AllPendingReasons().back(), PendingReason::kMpiPortsBusy);
}

TEST(PendingReasonTest, EveryNameIsUniqueAndParsesBack) {
  std::set<std::string> seen;
  for (PendingReason r : AllPendingReasons()) {
    std::string name(PendingReasonName(r));
    EXPECT_TRUE(seen.insert(name).second) << name;
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(name.find_first_of(" ,()"), std::string::npos) << name;
    EXPECT_EQ(*ParsePendingReason(name), r) << name;
  }
}

TEST(PendingReasonTest, ParsingIgnoresCaseLikeSlurm) {
  EXPECT_EQ(*ParsePendingReason("resources"), PendingReason::kResources);
  EXPECT_EQ(*ParsePendingReason("QOSMAXGRESPERUSER"), PendingReason::kQosMaxGresPerUser);
  EXPECT_EQ(*ParsePendingReason("partitiontimelimit"), PendingReason::kPartitionTimeLimit);
}

TEST(PendingReasonTest, RejectsUnknownAndMisspelledNames) {
  // Seed 000 spells it "ParitionTimeLimit"; Slurm never printed that.
  for (const char* bad : {"ParitionTimeLimit", "", "Resource", "None ", "PowerDown",
                          "QOSGrpCPULimitt", "(Resources)"}) {
    auto r = ParsePendingReason(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), std::string("Invalid job reason: ") + bad);
  }
}

TEST(PendingReasonTest, AssocSpellingOfBbMinutesParsesAsAssoc) {
  EXPECT_EQ(*ParsePendingReason("AssocMaxBBMinutesPerJob"),
            PendingReason::kAssocMaxBbMinutesPerJob);
}

TEST(PendingReasonTest, Holds) {
  EXPECT_TRUE(IsHeld(PendingReason::kJobHeldAdmin));
  EXPECT_TRUE(IsHeld(PendingReason::kJobHeldUser));
  EXPECT_FALSE(IsHeld(PendingReason::kPriority));
}

RC_GTEST_PROP(PendingReasonProp, NameParsesBackInAnyCase, (uint16_t raw, bool upper)) {
  PendingReason r = AllPendingReasons()[raw % AllPendingReasons().size()];
  std::string name(PendingReasonName(r));
  for (char& c : name) c = static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
  auto parsed = ParsePendingReason(name);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == r);
}

}  // namespace
}  // namespace drover
