// PendingReason: why a job is not running, or why it ended, with Slurm's names
// (squeue %r and the NODELIST(REASON) column, scontrol `Reason=`, sacct Reason).
//
// The set is Slurm's job_state_reason list as of 25.05, plus names 22.05 still printed
// (BlockMaxError, BlockFreeAction, PowerNotAvail, PowerReserved) so old records parse.
// Two places where Drover differs from Slurm's string table on purpose:
//  - Slurm has two reasons printed "PartitionDown" (partition down while pending, and a
//    job failed because its partition went down); Drover has one, kPartitionDown.
//  - Slurm prints its QOS burst-buffer-minutes limit as "AssocMaxBBMinutesPerJob" (a
//    typo in its table); Drover's kQosMaxBbMinutesPerJob prints "QOSMaxBBMinutesPerJob"
//    so the name says which limit to raise ("AssocMaxBBMinutesPerJob" parses as the
//    association's reason, which is what Slurm's own parser returns for it too).
// Names are printed exactly as below; parsing ignores case, as Slurm's does.
//
// Thread-safety: pure functions over constant tables; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/result.h"

namespace drover {

// X(Enumerator, name as Slurm prints it), in Slurm's enum order.
#define DROVER_PENDING_REASONS(X)                                        \
  X(kNone, "None")                                                       \
  X(kProlog, "Prolog")                                                   \
  X(kPriority, "Priority")                                               \
  X(kDependency, "Dependency")                                           \
  X(kResources, "Resources")                                             \
  X(kPartitionNodeLimit, "PartitionNodeLimit")                           \
  X(kPartitionTimeLimit, "PartitionTimeLimit")                           \
  X(kPartitionDown, "PartitionDown")                                     \
  X(kPartitionInactive, "PartitionInactive")                             \
  X(kJobHeldAdmin, "JobHeldAdmin")                                       \
  X(kJobHeldUser, "JobHeldUser")                                         \
  X(kBeginTime, "BeginTime")                                             \
  X(kLicenses, "Licenses")                                               \
  X(kAssociationJobLimit, "AssociationJobLimit")                         \
  X(kAssociationResourceLimit, "AssociationResourceLimit")               \
  X(kAssociationTimeLimit, "AssociationTimeLimit")                       \
  X(kReservation, "Reservation")                                         \
  X(kReqNodeNotAvail, "ReqNodeNotAvail")                                 \
  X(kFrontEndDown, "FrontEndDown")                                       \
  X(kSchedDefer, "SchedDefer")                                           \
  X(kNodeDown, "NodeDown")                                               \
  X(kBadConstraints, "BadConstraints")                                   \
  X(kSystemFailure, "SystemFailure")                                     \
  X(kJobLaunchFailure, "JobLaunchFailure")                               \
  X(kNonZeroExitCode, "NonZeroExitCode")                                 \
  X(kRaisedSignal, "RaisedSignal")                                       \
  X(kTimeLimit, "TimeLimit")                                             \
  X(kInactiveLimit, "InactiveLimit")                                     \
  X(kInvalidAccount, "InvalidAccount")                                   \
  X(kInvalidQos, "InvalidQOS")                                           \
  X(kQosUsageThreshold, "QOSUsageThreshold")                             \
  X(kQosJobLimit, "QOSJobLimit")                                         \
  X(kQosResourceLimit, "QOSResourceLimit")                               \
  X(kQosTimeLimit, "QOSTimeLimit")                                       \
  X(kBlockMaxError, "BlockMaxError")                                     \
  X(kBlockFreeAction, "BlockFreeAction")                                 \
  X(kCleaning, "Cleaning")                                               \
  X(kQosNotAllowed, "QOSNotAllowed")                                     \
  X(kAccountNotAllowed, "AccountNotAllowed")                             \
  X(kDependencyNeverSatisfied, "DependencyNeverSatisfied")               \
  X(kQosGrpCpuLimit, "QOSGrpCpuLimit")                                   \
  X(kQosGrpCpuMinutesLimit, "QOSGrpCPUMinutesLimit")                     \
  X(kQosGrpCpuRunMinutesLimit, "QOSGrpCPURunMinutesLimit")               \
  X(kQosGrpJobsLimit, "QOSGrpJobsLimit")                                 \
  X(kQosGrpMemLimit, "QOSGrpMemLimit")                                   \
  X(kQosGrpNodeLimit, "QOSGrpNodeLimit")                                 \
  X(kQosGrpSubmitJobsLimit, "QOSGrpSubmitJobsLimit")                     \
  X(kQosGrpWallLimit, "QOSGrpWallLimit")                                 \
  X(kQosMaxCpuPerJobLimit, "QOSMaxCpuPerJobLimit")                       \
  X(kQosMaxCpuMinutesPerJobLimit, "QOSMaxCpuMinutesPerJobLimit")         \
  X(kQosMaxNodePerJobLimit, "QOSMaxNodePerJobLimit")                     \
  X(kQosMaxWallDurationPerJobLimit, "QOSMaxWallDurationPerJobLimit")     \
  X(kQosMaxCpuPerUserLimit, "QOSMaxCpuPerUserLimit")                     \
  X(kQosMaxJobsPerUserLimit, "QOSMaxJobsPerUserLimit")                   \
  X(kQosMaxNodePerUserLimit, "QOSMaxNodePerUserLimit")                   \
  X(kQosMaxSubmitJobPerUserLimit, "QOSMaxSubmitJobPerUserLimit")         \
  X(kQosMinCpuNotSatisfied, "QOSMinCpuNotSatisfied")                     \
  X(kAssocGrpCpuLimit, "AssocGrpCpuLimit")                               \
  X(kAssocGrpCpuMinutesLimit, "AssocGrpCPUMinutesLimit")                 \
  X(kAssocGrpCpuRunMinutesLimit, "AssocGrpCPURunMinutesLimit")           \
  X(kAssocGrpJobsLimit, "AssocGrpJobsLimit")                             \
  X(kAssocGrpMemLimit, "AssocGrpMemLimit")                               \
  X(kAssocGrpNodeLimit, "AssocGrpNodeLimit")                             \
  X(kAssocGrpSubmitJobsLimit, "AssocGrpSubmitJobsLimit")                 \
  X(kAssocGrpWallLimit, "AssocGrpWallLimit")                             \
  X(kAssocMaxJobsLimit, "AssocMaxJobsLimit")                             \
  X(kAssocMaxCpuPerJobLimit, "AssocMaxCpuPerJobLimit")                   \
  X(kAssocMaxCpuMinutesPerJobLimit, "AssocMaxCpuMinutesPerJobLimit")     \
  X(kAssocMaxNodePerJobLimit, "AssocMaxNodePerJobLimit")                 \
  X(kAssocMaxWallDurationPerJobLimit, "AssocMaxWallDurationPerJobLimit") \
  X(kAssocMaxSubmitJobLimit, "AssocMaxSubmitJobLimit")                   \
  X(kJobHoldMaxRequeue, "JobHoldMaxRequeue")                             \
  X(kJobArrayTaskLimit, "JobArrayTaskLimit")                             \
  X(kBurstBufferResources, "BurstBufferResources")                       \
  X(kBurstBufferStageIn, "BurstBufferStageIn")                           \
  X(kBurstBufferOperation, "BurstBufferOperation")                       \
  X(kPowerNotAvail, "PowerNotAvail")                                     \
  X(kPowerReserved, "PowerReserved")                                     \
  X(kAssocGrpUnknown, "AssocGrpUnknown")                                 \
  X(kAssocGrpUnknownMinutes, "AssocGrpUnknownMinutes")                   \
  X(kAssocGrpUnknownRunMinutes, "AssocGrpUnknownRunMinutes")             \
  X(kAssocMaxUnknownPerJob, "AssocMaxUnknownPerJob")                     \
  X(kAssocMaxUnknownPerNode, "AssocMaxUnknownPerNode")                   \
  X(kAssocMaxUnknownMinutesPerJob, "AssocMaxUnknownMinutesPerJob")       \
  X(kAssocMaxCpuPerNode, "AssocMaxCpuPerNode")                           \
  X(kAssocGrpMemMinutes, "AssocGrpMemMinutes")                           \
  X(kAssocGrpMemRunMinutes, "AssocGrpMemRunMinutes")                     \
  X(kAssocMaxMemPerJob, "AssocMaxMemPerJob")                             \
  X(kAssocMaxMemPerNode, "AssocMaxMemPerNode")                           \
  X(kAssocMaxMemMinutesPerJob, "AssocMaxMemMinutesPerJob")               \
  X(kAssocGrpNodeMinutes, "AssocGrpNodeMinutes")                         \
  X(kAssocGrpNodeRunMinutes, "AssocGrpNodeRunMinutes")                   \
  X(kAssocMaxNodeMinutesPerJob, "AssocMaxNodeMinutesPerJob")             \
  X(kAssocGrpEnergy, "AssocGrpEnergy")                                   \
  X(kAssocGrpEnergyMinutes, "AssocGrpEnergyMinutes")                     \
  X(kAssocGrpEnergyRunMinutes, "AssocGrpEnergyRunMinutes")               \
  X(kAssocMaxEnergyPerJob, "AssocMaxEnergyPerJob")                       \
  X(kAssocMaxEnergyPerNode, "AssocMaxEnergyPerNode")                     \
  X(kAssocMaxEnergyMinutesPerJob, "AssocMaxEnergyMinutesPerJob")         \
  X(kAssocGrpGres, "AssocGrpGRES")                                       \
  X(kAssocGrpGresMinutes, "AssocGrpGRESMinutes")                         \
  X(kAssocGrpGresRunMinutes, "AssocGrpGRESRunMinutes")                   \
  X(kAssocMaxGresPerJob, "AssocMaxGRESPerJob")                           \
  X(kAssocMaxGresPerNode, "AssocMaxGRESPerNode")                         \
  X(kAssocMaxGresMinutesPerJob, "AssocMaxGRESMinutesPerJob")             \
  X(kAssocGrpLicense, "AssocGrpLicense")                                 \
  X(kAssocGrpLicenseMinutes, "AssocGrpLicenseMinutes")                   \
  X(kAssocGrpLicenseRunMinutes, "AssocGrpLicenseRunMinutes")             \
  X(kAssocMaxLicensePerJob, "AssocMaxLicensePerJob")                     \
  X(kAssocMaxLicenseMinutesPerJob, "AssocMaxLicenseMinutesPerJob")       \
  X(kAssocGrpBb, "AssocGrpBB")                                           \
  X(kAssocGrpBbMinutes, "AssocGrpBBMinutes")                             \
  X(kAssocGrpBbRunMinutes, "AssocGrpBBRunMinutes")                       \
  X(kAssocMaxBbPerJob, "AssocMaxBBPerJob")                               \
  X(kAssocMaxBbPerNode, "AssocMaxBBPerNode")                             \
  X(kAssocMaxBbMinutesPerJob, "AssocMaxBBMinutesPerJob")                 \
  X(kQosGrpUnknown, "QOSGrpUnknown")                                     \
  X(kQosGrpUnknownMinutes, "QOSGrpUnknownMinutes")                       \
  X(kQosGrpUnknownRunMinutes, "QOSGrpUnknownRunMinutes")                 \
  X(kQosMaxUnknownPerJob, "QOSMaxUnknownPerJob")                         \
  X(kQosMaxUnknownPerNode, "QOSMaxUnknownPerNode")                       \
  X(kQosMaxUnknownPerUser, "QOSMaxUnknownPerUser")                       \
  X(kQosMaxUnknownMinutesPerJob, "QOSMaxUnknownMinutesPerJob")           \
  X(kQosMinUnknown, "QOSMinUnknown")                                     \
  X(kQosMaxCpuPerNode, "QOSMaxCpuPerNode")                               \
  X(kQosGrpMemoryMinutes, "QOSGrpMemoryMinutes")                         \
  X(kQosGrpMemoryRunMinutes, "QOSGrpMemoryRunMinutes")                   \
  X(kQosMaxMemoryPerJob, "QOSMaxMemoryPerJob")                           \
  X(kQosMaxMemoryPerNode, "QOSMaxMemoryPerNode")                         \
  X(kQosMaxMemoryPerUser, "QOSMaxMemoryPerUser")                         \
  X(kQosMaxMemoryMinutesPerJob, "QOSMaxMemoryMinutesPerJob")             \
  X(kQosMinMemory, "QOSMinMemory")                                       \
  X(kQosGrpNodeMinutes, "QOSGrpNodeMinutes")                             \
  X(kQosGrpNodeRunMinutes, "QOSGrpNodeRunMinutes")                       \
  X(kQosMaxNodeMinutesPerJob, "QOSMaxNodeMinutesPerJob")                 \
  X(kQosMinNode, "QOSMinNode")                                           \
  X(kQosGrpEnergy, "QOSGrpEnergy")                                       \
  X(kQosGrpEnergyMinutes, "QOSGrpEnergyMinutes")                         \
  X(kQosGrpEnergyRunMinutes, "QOSGrpEnergyRunMinutes")                   \
  X(kQosMaxEnergyPerJob, "QOSMaxEnergyPerJob")                           \
  X(kQosMaxEnergyPerNode, "QOSMaxEnergyPerNode")                         \
  X(kQosMaxEnergyPerUser, "QOSMaxEnergyPerUser")                         \
  X(kQosMaxEnergyMinutesPerJob, "QOSMaxEnergyMinutesPerJob")             \
  X(kQosMinEnergy, "QOSMinEnergy")                                       \
  X(kQosGrpGres, "QOSGrpGRES")                                           \
  X(kQosGrpGresMinutes, "QOSGrpGRESMinutes")                             \
  X(kQosGrpGresRunMinutes, "QOSGrpGRESRunMinutes")                       \
  X(kQosMaxGresPerJob, "QOSMaxGRESPerJob")                               \
  X(kQosMaxGresPerNode, "QOSMaxGRESPerNode")                             \
  X(kQosMaxGresPerUser, "QOSMaxGRESPerUser")                             \
  X(kQosMaxGresMinutesPerJob, "QOSMaxGRESMinutesPerJob")                 \
  X(kQosMinGres, "QOSMinGRES")                                           \
  X(kQosGrpLicense, "QOSGrpLicense")                                     \
  X(kQosGrpLicenseMinutes, "QOSGrpLicenseMinutes")                       \
  X(kQosGrpLicenseRunMinutes, "QOSGrpLicenseRunMinutes")                 \
  X(kQosMaxLicensePerJob, "QOSMaxLicensePerJob")                         \
  X(kQosMaxLicensePerUser, "QOSMaxLicensePerUser")                       \
  X(kQosMaxLicenseMinutesPerJob, "QOSMaxLicenseMinutesPerJob")           \
  X(kQosMinLicense, "QOSMinLicense")                                     \
  X(kQosGrpBb, "QOSGrpBB")                                               \
  X(kQosGrpBbMinutes, "QOSGrpBBMinutes")                                 \
  X(kQosGrpBbRunMinutes, "QOSGrpBBRunMinutes")                           \
  X(kQosMaxBbPerJob, "QOSMaxBBPerJob")                                   \
  X(kQosMaxBbPerNode, "QOSMaxBBPerNode")                                 \
  X(kQosMaxBbPerUser, "QOSMaxBBPerUser")                                 \
  X(kQosMaxBbMinutesPerJob, "QOSMaxBBMinutesPerJob")                     \
  X(kQosMinBb, "QOSMinBB")                                               \
  X(kDeadLine, "DeadLine")                                               \
  X(kMaxBbPerAccount, "MaxBBPerAccount")                                 \
  X(kMaxCpuPerAccount, "MaxCpuPerAccount")                               \
  X(kMaxEnergyPerAccount, "MaxEnergyPerAccount")                         \
  X(kMaxGresPerAccount, "MaxGRESPerAccount")                             \
  X(kMaxNodePerAccount, "MaxNodePerAccount")                             \
  X(kMaxLicensePerAccount, "MaxLicensePerAccount")                       \
  X(kMaxMemoryPerAccount, "MaxMemoryPerAccount")                         \
  X(kMaxUnknownPerAccount, "MaxUnknownPerAccount")                       \
  X(kMaxJobsPerAccount, "MaxJobsPerAccount")                             \
  X(kMaxSubmitJobsPerAccount, "MaxSubmitJobsPerAccount")                 \
  X(kPartitionConfig, "PartitionConfig")                                 \
  X(kAccountingPolicy, "AccountingPolicy")                               \
  X(kFedJobLock, "FedJobLock")                                           \
  X(kOutOfMemory, "OutOfMemory")                                         \
  X(kMaxMemPerLimit, "MaxMemPerLimit")                                   \
  X(kAssocGrpBilling, "AssocGrpBilling")                                 \
  X(kAssocGrpBillingMinutes, "AssocGrpBillingMinutes")                   \
  X(kAssocGrpBillingRunMinutes, "AssocGrpBillingRunMinutes")             \
  X(kAssocMaxBillingPerJob, "AssocMaxBillingPerJob")                     \
  X(kAssocMaxBillingPerNode, "AssocMaxBillingPerNode")                   \
  X(kAssocMaxBillingMinutesPerJob, "AssocMaxBillingMinutesPerJob")       \
  X(kQosGrpBilling, "QOSGrpBilling")                                     \
  X(kQosGrpBillingMinutes, "QOSGrpBillingMinutes")                       \
  X(kQosGrpBillingRunMinutes, "QOSGrpBillingRunMinutes")                 \
  X(kQosMaxBillingPerJob, "QOSMaxBillingPerJob")                         \
  X(kQosMaxBillingPerNode, "QOSMaxBillingPerNode")                       \
  X(kQosMaxBillingPerUser, "QOSMaxBillingPerUser")                       \
  X(kQosMaxBillingMinutesPerJob, "QOSMaxBillingMinutesPerJob")           \
  X(kMaxBillingPerAccount, "MaxBillingPerAccount")                       \
  X(kQosMinBilling, "QOSMinBilling")                                     \
  X(kReservationDeleted, "ReservationDeleted")                           \
  X(kReservationInvalid, "ReservationInvalid")                           \
  X(kConstraints, "Constraints")                                         \
  X(kMaxBbRunMinsPerAccount, "MaxBBRunMinsPerAccount")                   \
  X(kMaxBillingRunMinsPerAccount, "MaxBillingRunMinsPerAccount")         \
  X(kMaxCpuRunMinsPerAccount, "MaxCpuRunMinsPerAccount")                 \
  X(kMaxEnergyRunMinsPerAccount, "MaxEnergyRunMinsPerAccount")           \
  X(kMaxGresRunMinsPerAccount, "MaxGRESRunMinsPerAccount")               \
  X(kMaxNodeRunMinsPerAccount, "MaxNodeRunMinsPerAccount")               \
  X(kMaxLicenseRunMinsPerAccount, "MaxLicenseRunMinsPerAccount")         \
  X(kMaxMemoryRunMinsPerAccount, "MaxMemoryRunMinsPerAccount")           \
  X(kMaxUnknownRunMinsPerAccount, "MaxUnknownRunMinsPerAccount")         \
  X(kMaxBbRunMinsPerUser, "MaxBBRunMinsPerUser")                         \
  X(kMaxBillingRunMinsPerUser, "MaxBillingRunMinsPerUser")               \
  X(kMaxCpuRunMinsPerUser, "MaxCpuRunMinsPerUser")                       \
  X(kMaxEnergyRunMinsPerUser, "MaxEnergyRunMinsPerUser")                 \
  X(kMaxGresRunMinsPerUser, "MaxGRESRunMinsPerUser")                     \
  X(kMaxNodeRunMinsPerUser, "MaxNodeRunMinsPerUser")                     \
  X(kMaxLicenseRunMinsPerUser, "MaxLicenseRunMinsPerUser")               \
  X(kMaxMemoryRunMinsPerUser, "MaxMemoryRunMinsPerUser")                 \
  X(kMaxUnknownRunMinsPerUser, "MaxUnknownRunMinsPerUser")               \
  X(kMaxPoweredUpNodes, "MaxPoweredUpNodes")                             \
  X(kMpiPortsBusy, "MpiPortsBusy")

enum class PendingReason : uint16_t {
#define DROVER_PENDING_REASON_ENUM(name, text) name,
  DROVER_PENDING_REASONS(DROVER_PENDING_REASON_ENUM)
#undef DROVER_PENDING_REASON_ENUM
};

// Every reason in declaration order.
std::span<const PendingReason> AllPendingReasons();

// "Resources", "QOSMaxGRESPerUser", "PartitionTimeLimit".
std::string_view PendingReasonName(PendingReason reason);

// The name in any case ("resources" -> kResources).
// Errors: kInvalidArgument "Invalid job reason: <text>".
Result<PendingReason> ParsePendingReason(std::string_view text);

// A hold: the job will not be considered until released (JobHeldAdmin, JobHeldUser).
bool IsHeld(PendingReason reason);

}  // namespace drover
