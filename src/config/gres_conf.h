// gres.conf: the generic resources (GPUs, MPS shares, ...) of each node.
//
//   AutoDetect=nvml
//   Name=gpu Type=tesla File=/dev/nvidia[0-1] Cores=0-3
//   NodeName=gpu[01-04] Name=gpu Type=a100 File=/dev/nvidia[0-3]
//   Name=mps Count=200
//
// Each line is one record; a File= naming several devices is expanded into one record
// per device (count 1 each), as Slurm does, so that devices can be bound one by one.
// A line with NodeName= applies only to those nodes; one without applies to every node
// that reads the file. A line holding only AutoDetect= sets the mechanism for the lines
// after it (and a NodeName= on it restricts that).
//
// Diagnostics as for slurm.conf: unknown keys warn with file:line, bad values are
// kConfigValue with file:line: Key: invalid value '...': why.
//
// Thread-safety: plain values; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/hostlist.h"
#include "base/result.h"
#include "config/conf_lexer.h"

namespace drover::config {

struct GresConfRecord {
  std::string name;  // "gpu"
  std::string type;  // "tesla"; empty when untyped
  std::string file;  // one device path; empty for count-only resources
  uint64_t count = 1;
  std::vector<uint32_t> cores;  // Cores= (or CPUs=) expanded; empty: any core
  std::string links;            // Links= as written ("-1,0,2")
  std::vector<std::string> flags;
  std::string auto_detect;  // nvml, nvidia, rsmi, oneapi, nrt, off; empty: none given
  std::string node_names;   // NodeName= as written; empty: every node
  SourceLoc loc;
};

struct GresConf {
  std::vector<GresConfRecord> records;  // in file order
  std::string auto_detect;              // a global AutoDetect= line's value
};

Result<GresConf> ParseGresConf(std::string_view text, std::string_view file_name,
                               const IncludeResolver& resolver,
                               std::vector<ConfigWarning>* warnings);
Result<GresConf> LoadGresConf(const std::string& path, std::vector<ConfigWarning>* warnings);

// The records that apply to node `node_name`, in file order.
std::vector<GresConfRecord> GresForNode(const GresConf& conf, std::string_view node_name);

// Totals per name:type for one node, in first-seen order: {"gpu","tesla",2}.
struct GresTotal {
  std::string name;
  std::string type;
  uint64_t count = 0;
  friend bool operator==(const GresTotal&, const GresTotal&) = default;
};
std::vector<GresTotal> GresTotalsForNode(const GresConf& conf, std::string_view node_name);

}  // namespace drover::config
