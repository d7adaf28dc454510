// Tres: counts of trackable resources (TRES), as Slurm writes them in ReqTRES=,
// AllocTRES=, a partition's or node's TRES=/CfgTRES=, and QOS/association limits
// (`cpu=8,mem=10G,node=1,billing=8`, `gres/gpu:nvidia_l40s=1`, `license/foo=1`).
//
// A TRES is named `type` or `type/name`. Types without a name: cpu, mem, energy, node,
// billing, vmem, pages. Types with one: fs (fs/disk), gres (gres/gpu, gres/gpu:tesla),
// license, bb (burst buffers), ic (interconnects). Types are case-insensitive and kept in
// lower case; names keep their case. Memory (mem, bb/*) is counted in MiB.
//
// Printing follows Slurm: entries in its TRES-id order (cpu, mem, energy, node, billing,
// fs/disk, vmem, pages, then the dynamic gres/, license/, bb/, ic/ types, each sorted by
// name) and memory in its "exact" unit style: 50M, 10G, 515711M, and half units as
// 12.50G (which Slurm 22.05 prints for 12800M; see shared/reference). One deliberate
// difference: Slurm keeps dividing a half value (1049088M = 1024.5G becomes the lossy
// "1.00T"); Drover stops at the half ("1024.50G") so printing never loses a MiB.
//
// Thread-safety: value types; const methods may be called concurrently.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover {

struct TresKey {
  std::string type;  // lower case: "cpu", "gres"
  std::string name;  // "" for unnamed types; "gpu:nvidia_l40s" for a typed GRES

  static TresKey Cpu() { return {"cpu", ""}; }
  static TresKey Mem() { return {"mem", ""}; }
  static TresKey Energy() { return {"energy", ""}; }
  static TresKey Node() { return {"node", ""}; }
  static TresKey Billing() { return {"billing", ""}; }
  static TresKey FsDisk() { return {"fs", "disk"}; }
  static TresKey Vmem() { return {"vmem", ""}; }
  static TresKey Pages() { return {"pages", ""}; }
  // gres/<name> or gres/<name>:<type>.
  static TresKey Gres(std::string_view gres_name, std::string_view gres_type = {});
  static TresKey License(std::string_view license) { return {"license", std::string(license)}; }

  // "cpu", "gres/gpu:nvidia_l40s".
  std::string ToString() const;
  // Counted in MiB and printed with M/G/T units (mem, bb/*).
  bool IsMemory() const { return type == "mem" || type == "bb"; }

  friend bool operator==(const TresKey&, const TresKey&) = default;
  // Slurm's printing order (see above); a strict weak order.
  friend std::strong_ordering operator<=>(const TresKey& a, const TresKey& b);
};

// "cpu", "GRES/gpu:a100", "license/foo@db". Errors: kInvalidTres naming the text and
// what is wrong (unknown type, a name where none belongs, a missing or malformed name).
Result<TresKey> ParseTresKey(std::string_view text);
// A comma-separated list of keys without counts, as AccountingStorageTRES and
// PriorityWeightTRES-style settings write them ("cpu,mem,energy,gres/gpu"). Duplicates
// are an error; order is kept.
Result<std::vector<TresKey>> ParseTresKeyList(std::string_view text);

struct TresEntry {
  TresKey key;
  uint64_t count = 0;
  friend bool operator==(const TresEntry&, const TresEntry&) = default;
};

struct TresFormat {
  // mem=10G (scontrol, squeue, sacct) rather than mem=10240 (Slurm's "simple" strings).
  bool convert_units = true;
  // sacct sorts its TRES columns by name (billing=1,cpu=1,mem=50M,node=1).
  bool sort_by_name = false;
};

class Tres {
 public:
  Tres() = default;

  // "cpu=8,mem=10G,node=1,billing=8"; "" is the empty set. mem and bb/* accept what
  // ParseMemoryMb accepts (a bare number is MiB) and Slurm's printed half units
  // ("12.50G"); other counts are plain decimal integers. Zero counts are kept (a limit of
  // gres/gpu=0 means "none allowed").
  // Errors: kInvalidTres "Invalid TRES '<item>': <why>" for the first bad item, including
  // an empty item, a missing '=' or count, and a TRES given twice.
  static Result<Tres> Parse(std::string_view text);

  // 0 when absent.
  uint64_t Get(const TresKey& key) const;
  bool Contains(const TresKey& key) const;
  // Inserts or replaces; keeps the entries in canonical order.
  void Set(const TresKey& key, uint64_t count);
  void Erase(const TresKey& key);
  // Adds `other`'s counts to this one's, saturating at UINT64_MAX.
  void Add(const Tres& other);

  // In canonical order (see above).
  const std::vector<TresEntry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  std::string ToString(const TresFormat& format = {}) const;

  friend bool operator==(const Tres&, const Tres&) = default;

 private:
  std::vector<TresEntry> entries_;  // sorted by key, keys unique
};

// Memory in MiB as Slurm's TRES strings print it: "0", "50M", "10G", "12.50G",
// "515711M", "1T".
std::string FormatTresMemoryMb(uint64_t mb);

}  // namespace drover
