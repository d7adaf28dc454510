#include "core/tres.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>
#include <string>

namespace drover {
namespace {

struct RoundTripCase {
  const char* input;
  const char* printed;  // canonical form
};

// Strings as Slurm prints them come back unchanged (shared/reference and seed 000), and
// other spellings come back in Slurm's order and units.
const RoundTripCase kRoundTrips[] = {
    {"", ""},
    {"cpu=8,mem=10G,node=1,billing=8", "cpu=8,mem=10G,node=1,billing=8"},
    {"cpu=96,mem=515711M,billing=96", "cpu=96,mem=515711M,billing=96"},
    {"cpu=208,mem=1063398M,node=4,billing=208", "cpu=208,mem=1063398M,node=4,billing=208"},
    {"cpu=256,mem=12.50G,node=4,billing=256", "cpu=256,mem=12.50G,node=4,billing=256"},
    {"cpu=1,mem=50M,node=1,billing=1", "cpu=1,mem=50M,node=1,billing=1"},
    {"cpu=63,mem=3150M", "cpu=63,mem=3150M"},
    {"gres/gpu=2", "gres/gpu=2"},
    {"gres/gpu:nvidia_l40s=1", "gres/gpu:nvidia_l40s=1"},
    {"license/foo=1", "license/foo=1"},
    {"energy=100,fs/disk=2048,vmem=10,pages=3", "energy=100,fs/disk=2048,vmem=10,pages=3"},
    // Reordered into Slurm's TRES-id order.
    {"billing=8,node=1,mem=10G,cpu=8", "cpu=8,mem=10G,node=1,billing=8"},
    {"license/foo=1,gres/gpu=2,cpu=1", "cpu=1,gres/gpu=2,license/foo=1"},
    {"gres/mps=100,gres/gpu:tesla=1,gres/gpu=1", "gres/gpu=1,gres/gpu:tesla=1,gres/mps=100"},
    {"ic/ofed=1,bb/datawarp=1G,fs/lustre=5,license/a=1,gres/gpu=1,pages=1",
     "pages=1,gres/gpu=1,license/a=1,bb/datawarp=1G,ic/ofed=1,fs/lustre=5"},
    // Units and case normalised.
    {"CPU=2,Mem=10240", "cpu=2,mem=10G"},
    {"mem=1024M", "mem=1G"},
    {"mem=10gb", "mem=10G"},
    {"mem=2T", "mem=2T"},
    {"mem=1536", "mem=1.50G"},
    {"mem=1.5G", "mem=1.50G"},
    {"mem=0", "mem=0"},
    {"cpu=0,gres/gpu=0", "cpu=0,gres/gpu=0"},
    {"cpu=007", "cpu=7"},
    {"license/Fluent@db=3", "license/Fluent@db=3"},
};

TEST(TresTest, ParsesAndPrintsCanonically) {
  for (const RoundTripCase& c : kRoundTrips) {
    auto tres = Tres::Parse(c.input);
    ASSERT_TRUE(tres.has_value()) << c.input << ": " << tres.error().ToString();
    EXPECT_EQ(tres->ToString(), c.printed) << c.input;
  }
}

TEST(TresTest, Counts) {
  auto tres = Tres::Parse("cpu=8,mem=10G,node=1,billing=8,gres/gpu:nvidia_l40s=1");
  ASSERT_TRUE(tres.has_value());
  EXPECT_EQ(tres->Get(TresKey::Cpu()), 8u);
  EXPECT_EQ(tres->Get(TresKey::Mem()), 10240u);
  EXPECT_EQ(tres->Get(TresKey::Node()), 1u);
  EXPECT_EQ(tres->Get(TresKey::Billing()), 8u);
  EXPECT_EQ(tres->Get(TresKey::Gres("gpu", "nvidia_l40s")), 1u);
  EXPECT_EQ(tres->Get(TresKey::Gres("gpu")), 0u);
  EXPECT_FALSE(tres->Contains(TresKey::Energy()));
  EXPECT_EQ(tres->entries().size(), 5u);
  EXPECT_EQ(Tres::Parse("mem=12.50G")->Get(TresKey::Mem()), 12800u);
}

struct ErrorCase {
  const char* input;
  const char* message;
};

TEST(TresTest, RejectsWithTheOffendingItem) {
  const ErrorCase cases[] = {
      {"cpu", "Invalid TRES 'cpu': expected <tres>=<count>"},
      {"cpu=8,foo=1", "Invalid TRES 'foo=1': unknown TRES type 'foo'"},
      {"cpu=8,,mem=1", "Invalid TRES '': empty item"},
      {"cpu=8,", "Invalid TRES '': empty item"},
      {"cpu=", "Invalid TRES 'cpu=': missing count"},
      {"cpu=-1", "Invalid TRES 'cpu=-1': count is not a non-negative integer"},
      {"cpu=1.5", "Invalid TRES 'cpu=1.5': count is not a non-negative integer"},
      {"cpu=2G", "Invalid TRES 'cpu=2G': count is not a non-negative integer"},
      {"cpu=18446744073709551616", "Invalid TRES 'cpu=18446744073709551616': count too large"},
      {"cpu=1,cpu=2", "Invalid TRES 'cpu=2': given twice"},
      {"gres=2", "Invalid TRES 'gres=2': 'gres' needs a name (gres/<name>)"},
      {"cpu/x=2", "Invalid TRES 'cpu/x=2': 'cpu' takes no name"},
      {"gres/=2", "Invalid TRES 'gres/=2': bad GRES name"},
      {"gres/gpu:=2", "Invalid TRES 'gres/gpu:=2': bad GRES type"},
      {"gres/gpu:a:b=2", "Invalid TRES 'gres/gpu:a:b=2': bad GRES type"},
      {"license/=1", "Invalid TRES 'license/=1': bad license name"},
      {"license/a b=1", "Invalid TRES 'license/a b=1': bad license name"},
      {"mem=1.3G", "Invalid TRES 'mem=1.3G': not a whole number of MiB"},
      {"mem=1.5M", "Invalid TRES 'mem=1.5M': not a whole number of MiB"},
      {"mem=1.5", "Invalid TRES 'mem=1.5': bad memory size"},
      {"mem=.5G", "Invalid TRES 'mem=.5G': bad memory size"},
      {"mem=1.5X", "Invalid TRES 'mem=1.5X': bad memory unit"},
      {" cpu=1", "Invalid TRES ' cpu=1': unknown TRES type ' cpu'"},
  };
  for (const ErrorCase& c : cases) {
    auto r = Tres::Parse(c.input);
    ASSERT_FALSE(r.has_value()) << c.input;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidTres) << c.input;
    EXPECT_EQ(r.error().message(), c.message) << c.input;
  }
  // Memory errors come from ParseMemoryMb but are TRES errors naming the item.
  for (const char* bad : {"mem=10X", "mem=G", "mem=-1"}) {
    auto r = Tres::Parse(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidTres);
    EXPECT_NE(r.error().message().find(std::string("'") + bad + "'"), std::string::npos)
        << r.error().message();
  }
}

TEST(TresTest, FormatMemoryLikeSlurm) {
  const std::pair<uint64_t, const char*> cases[] = {
      {0, "0"},
      {1, "1M"},
      {50, "50M"},
      {512, "512M"},
      {1023, "1023M"},
      {1024, "1G"},
      {1536, "1.50G"},
      {3150, "3150M"},
      {10240, "10G"},
      {12800, "12.50G"},
      {18076, "18076M"},
      {515711, "515711M"},
      {1048576, "1T"},
      {1572864, "1.50T"},
      {1049088, "1024.50G"},
      {1073741824, "1P"},
      {1073741824ull * 2048, "2048P"},
  };
  for (const auto& [mb, text] : cases) EXPECT_EQ(FormatTresMemoryMb(mb), text) << mb;
}

TEST(TresTest, FormatOptions) {
  auto tres = Tres::Parse("cpu=1,mem=50M,node=1,billing=1");
  ASSERT_TRUE(tres.has_value());
  EXPECT_EQ(tres->ToString({.convert_units = false}), "cpu=1,mem=50,node=1,billing=1");
  EXPECT_EQ(tres->ToString({.sort_by_name = true}), "billing=1,cpu=1,mem=50M,node=1");
}

TEST(TresTest, SetEraseAdd) {
  Tres t;
  EXPECT_TRUE(t.empty());
  t.Set(TresKey::Node(), 1);
  t.Set(TresKey::Cpu(), 4);
  t.Set(TresKey::License("matlab"), 2);
  t.Set(TresKey::Gres("gpu"), 1);
  EXPECT_EQ(t.ToString(), "cpu=4,node=1,gres/gpu=1,license/matlab=2");
  t.Set(TresKey::Cpu(), 8);
  EXPECT_EQ(t.Get(TresKey::Cpu()), 8u);
  t.Erase(TresKey::Node());
  t.Erase(TresKey::Node());
  EXPECT_EQ(t.ToString(), "cpu=8,gres/gpu=1,license/matlab=2");
  Tres more = *Tres::Parse("cpu=2,mem=1G,gres/gpu=18446744073709551615");
  t.Add(more);
  EXPECT_EQ(t.Get(TresKey::Cpu()), 10u);
  EXPECT_EQ(t.Get(TresKey::Mem()), 1024u);
  EXPECT_EQ(t.Get(TresKey::Gres("gpu")), std::numeric_limits<uint64_t>::max());  // saturates
}

TEST(TresKeyTest, ParseAndPrint) {
  const std::pair<const char*, const char*> cases[] = {
      {"cpu", "cpu"},
      {"MEM", "mem"},
      {"fs/disk", "fs/disk"},
      {"gres/gpu", "gres/gpu"},
      {"GRES/gpu:a100", "gres/gpu:a100"},
      {"license/foo@db", "license/foo@db"},
      {"bb/datawarp", "bb/datawarp"},
      {"ic/ofed", "ic/ofed"},
  };
  for (const auto& [in, out] : cases) {
    auto key = ParseTresKey(in);
    ASSERT_TRUE(key.has_value()) << in;
    EXPECT_EQ(key->ToString(), out);
  }
  for (const char* bad : {"", "foo", "gres", "license/", "node/x", "gres/gpu:", "/cpu"}) {
    auto key = ParseTresKey(bad);
    ASSERT_FALSE(key.has_value()) << bad;
    EXPECT_EQ(key.error().code(), ErrorCode::kInvalidTres);
  }
}

TEST(TresKeyTest, KeyList) {
  auto keys = ParseTresKeyList("cpu,mem,energy,node,billing,fs/disk,vmem,pages,gres/gpu");
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(keys->size(), 9u);
  EXPECT_EQ(keys->back(), TresKey::Gres("gpu"));
  EXPECT_TRUE(ParseTresKeyList("")->empty());
  EXPECT_FALSE(ParseTresKeyList("cpu,,mem").has_value());
  EXPECT_FALSE(ParseTresKeyList("cpu,CPU").has_value());
  EXPECT_FALSE(ParseTresKeyList("cpu=1").has_value());
}

TEST(TresKeyTest, SlurmOrder) {
  std::vector<TresKey> keys = {TresKey::Cpu(),       TresKey::Mem(),
                               TresKey::Energy(),    TresKey::Node(),
                               TresKey::Billing(),   TresKey::FsDisk(),
                               TresKey::Vmem(),      TresKey::Pages(),
                               TresKey::Gres("gpu"), TresKey::Gres("gpu", "a100"),
                               TresKey::Gres("mps"), TresKey::License("a")};
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    EXPECT_LT(keys[i], keys[i + 1]) << keys[i].ToString() << " " << keys[i + 1].ToString();
  }
}

// Generators for well-formed Tres values.
rc::Gen<std::string> GenName() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(0, 8), [](size_t n) {
    return rc::gen::map(rc::gen::container<std::string>(
                            n, rc::gen::element('a', 'b', 'z', 'A', '0', '9', '_', '-')),
                        [](std::string s) { return "n" + s; });
  });
}

rc::Gen<TresKey> GenKey() {
  return rc::gen::oneOf(
      rc::gen::element(TresKey::Cpu(), TresKey::Mem(), TresKey::Energy(), TresKey::Node(),
                       TresKey::Billing(), TresKey::FsDisk(), TresKey::Vmem(), TresKey::Pages()),
      rc::gen::map(GenName(), [](std::string n) { return TresKey::Gres(n); }),
      rc::gen::apply([](std::string n, std::string t) { return TresKey::Gres(n, t); }, GenName(),
                     GenName()),
      rc::gen::map(GenName(), [](std::string n) { return TresKey::License(n); }),
      rc::gen::map(GenName(), [](std::string n) {
        return TresKey{"bb", n};
      }));
}

rc::Gen<uint64_t> GenCount() {
  return rc::gen::oneOf(
      rc::gen::inRange<uint64_t>(0, 100000),
      rc::gen::map(rc::gen::inRange<uint64_t>(0, 1u << 20), [](uint64_t g) { return g * 512; }),
      rc::gen::arbitrary<uint64_t>());
}

Tres GenTres() {
  Tres t;
  int n = *rc::gen::inRange(0, 8);
  for (int i = 0; i < n; ++i) t.Set(*GenKey(), *GenCount());
  return t;
}

RC_GTEST_PROP(TresProp, PrintParseRoundTrip, ()) {
  Tres t = GenTres();
  bool convert = *rc::gen::arbitrary<bool>();
  std::string text = t.ToString({.convert_units = convert});
  auto parsed = Tres::Parse(text);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == t);
  RC_ASSERT(parsed->ToString({.convert_units = convert}) == text);
}

RC_GTEST_PROP(TresProp, SortedByNameAlsoParsesBack, ()) {
  Tres t = GenTres();
  auto parsed = Tres::Parse(t.ToString({.sort_by_name = true}));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == t);
}

RC_GTEST_PROP(TresProp, MemoryFormatRoundTrips, (uint64_t mb)) {
  auto parsed = Tres::Parse("mem=" + FormatTresMemoryMb(mb));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->Get(TresKey::Mem()) == mb);
}

RC_GTEST_PROP(TresProp, EntriesStayOrderedAndUnique, ()) {
  Tres t = GenTres();
  for (size_t i = 0; i + 1 < t.entries().size(); ++i) {
    RC_ASSERT(t.entries()[i].key < t.entries()[i + 1].key);
  }
}

}  // namespace
}  // namespace drover
