#include "core/gres.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace drover {
namespace {

struct RequestCase {
  const char* input;
  const char* canonical;
  const char* tres_per_node;
};

TEST(GresTest, ParsesRequestsAsUsersTypeThem) {
  const RequestCase cases[] = {
      {"gpu", "gpu:1", "gres/gpu:1"},
      {"gpu:2", "gpu:2", "gres/gpu:2"},
      {"gpu:nvidia_l40s:2", "gpu:nvidia_l40s:2", "gres/gpu:nvidia_l40s:2"},
      {"gpu:tesla:1,mps:100", "gpu:tesla:1,mps:100", "gres/gpu:tesla:1,gres/mps:100"},
      {"gres/gpu:2", "gpu:2", "gres/gpu:2"},
      {"gres/gpu:nvidia_l40s:1", "gpu:nvidia_l40s:1", "gres/gpu:nvidia_l40s:1"},  // seed 000
      {"gres:gpu:1", "gpu:1", "gres/gpu:1"},  // Slurm 22.05's TresPerNode spelling
      {"gpu:tesla", "gpu:tesla:1", "gres/gpu:tesla:1"},
      {"gpu:0", "gpu:0", "gres/gpu:0"},
      {"mps:1K", "mps:1024", "gres/mps:1024"},
      {"bandwidth:4G", "bandwidth:4294967296", "gres/bandwidth:4294967296"},
      {"gpu:a100-sxm4-80gb:8", "gpu:a100-sxm4-80gb:8", "gres/gpu:a100-sxm4-80gb:8"},
      {"gpu:1g.5gb:2", "gpu:1g.5gb:2", "gres/gpu:1g.5gb:2"},  // MIG profile as a type
      {"gpu:1g.5gb", "gpu:1g.5gb:1", "gres/gpu:1g.5gb:1"},
      {"gpu:2g:1", "gpu:2g:1", "gres/gpu:2g:1"},  // a count-like type needs a count
      {"shard:007", "shard:7", "gres/shard:7"},
      {"none", "", ""},
      {"NONE", "", ""},
  };
  for (const RequestCase& c : cases) {
    auto gres = ParseGresRequest(c.input);
    ASSERT_TRUE(gres.has_value()) << c.input << ": " << gres.error().ToString();
    EXPECT_EQ(FormatGresList(*gres), c.canonical) << c.input;
    EXPECT_EQ(FormatGresTresPerNode(*gres), c.tres_per_node) << c.input;
  }
}

TEST(GresTest, Fields) {
  auto gres = ParseGresRequest("gpu:nvidia_l40s:2,mps:100");
  ASSERT_TRUE(gres.has_value());
  ASSERT_EQ(gres->size(), 2u);
  EXPECT_EQ(
      (*gres)[0],
      (GresSpec{
          .name = "gpu", .type = "nvidia_l40s", .count = 2, .no_consume = false, .sockets = {}}));
  EXPECT_EQ(
      (*gres)[1],
      (GresSpec{.name = "mps", .type = "", .count = 100, .no_consume = false, .sockets = {}}));
  EXPECT_EQ((*gres)[0].ToTresString(), "gres/gpu:nvidia_l40s=2");
  EXPECT_EQ((*gres)[1].ToTresString(), "gres/mps=100");
  EXPECT_EQ((*gres)[0].ToTresKey(), TresKey::Gres("gpu", "nvidia_l40s"));
  // 2G is 2 * 1024^3, as Slurm multiplies GRES counts.
  EXPECT_EQ((*ParseGresRequest("gpu:2G"))[0].count, 2147483648u);
  EXPECT_EQ((*ParseGresRequest("gpu:1P"))[0].count, 1125899906842624u);
}

TEST(GresTest, GpusOption) {
  const std::pair<const char*, const char*> cases[] = {
      {"2", "gpu:2"},
      {"tesla:2", "gpu:tesla:2"},
      {"nvidia_l40s:1", "gpu:nvidia_l40s:1"},
      {"a100:1,v100:2", "gpu:a100:1,gpu:v100:2"},
      {"tesla", "gpu:tesla:1"},
  };
  for (const auto& [in, out] : cases) {
    auto gres = ParseGpusOption(in);
    ASSERT_TRUE(gres.has_value()) << in << ": " << gres.error().ToString();
    EXPECT_EQ(FormatGresList(*gres), out) << in;
  }
  for (const char* bad : {"", "a:b:1", "tesla:", ":2", "2,2", "t e"}) {
    auto gres = ParseGpusOption(bad);
    ASSERT_FALSE(gres.has_value()) << bad;
    EXPECT_EQ(gres.error().code(), ErrorCode::kInvalidGres);
  }
}

TEST(GresTest, NodeDefinitions) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"gpu:2", "gpu:2"},
      {"gpu:nvidia_l40s:8", "gpu:nvidia_l40s:8"},
      {"gpu:tesla:2(S:0-1)", "gpu:tesla:2(S:0-1)"},
      {"gpu:tesla:2(S:0,1)", "gpu:tesla:2(S:0-1)"},
      {"gpu:4(S:0,2-3,3)", "gpu:4(S:0,2-3)"},
      {"gpu:tesla:2(S:0-1),gpu:kepler:2(S:2),mps:400",
       "gpu:tesla:2(S:0-1),gpu:kepler:2(S:2),mps:400"},
      {"bandwidth:lustre:no_consume:4G", "bandwidth:lustre:no_consume:4294967296"},
      {"bandwidth:no_consume:4G", "bandwidth:no_consume:4294967296"},
      {"nic:no_consume", "nic:no_consume:1"},
      {"gpu", "gpu:1"},
  };
  for (const auto& [in, out] : cases) {
    auto gres = ParseNodeGres(in);
    ASSERT_TRUE(gres.has_value()) << in << ": " << gres.error().ToString();
    EXPECT_EQ(FormatGresList(*gres), out) << in;
  }
  auto gres = ParseNodeGres("gpu:tesla:2(S:0-1)");
  ASSERT_TRUE(gres.has_value());
  EXPECT_EQ((*gres)[0].sockets, (std::vector<uint32_t>{0, 1}));
  EXPECT_TRUE((*ParseNodeGres("bw:no_consume:1"))[0].no_consume);
}

struct ErrorCase {
  const char* input;
  const char* message;
};

TEST(GresTest, RequestErrorsNameTheItem) {
  const ErrorCase cases[] = {
      {"", "Invalid GRES '': empty item"},
      {"gpu,", "Invalid GRES '': empty item"},
      {"gpu:", "Invalid GRES 'gpu:': empty field"},
      {"gpu::2", "Invalid GRES 'gpu::2': empty field"},
      {":2", "Invalid GRES ':2': empty field"},
      {"2", "Invalid GRES '2': bad name '2'"},
      {"gpu:a:b:2", "Invalid GRES 'gpu:a:b:2': unexpected field 'b'"},
      {"mps:100,gpu:t$la:1", "Invalid GRES 'gpu:t$la:1': bad type 't$la'"},
      {"gpu:1,gpu:2", "Invalid GRES 'gpu:2': given twice"},
      {"gpu:99999999999999999999", "Invalid GRES 'gpu:99999999999999999999': count too large"},
      {"gpu:16777216P", "Invalid GRES 'gpu:16777216P': count too large"},
      {"gpu:no_consume:2", "Invalid GRES 'gpu:no_consume:2': no_consume is for node definitions"},
      {"gpu:2(S:0)", "Invalid GRES 'gpu:2(S:0)': socket binding is for node definitions"},
      {"gres:2", "Invalid GRES 'gres:2': bad name '2'"},
      {"gres", "Invalid GRES 'gres': bad name 'gres'"},
      {"gpu 2", "Invalid GRES 'gpu 2': bad name 'gpu 2'"},
  };
  for (const ErrorCase& c : cases) {
    auto r = ParseGresRequest(c.input);
    ASSERT_FALSE(r.has_value()) << c.input;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidGres) << c.input;
    EXPECT_EQ(r.error().message(), c.message) << c.input;
  }
}

TEST(GresTest, NodeErrors) {
  const ErrorCase cases[] = {
      {"gpu:2(S:)", "Invalid GRES 'gpu:2(S:)': empty socket list"},
      {"gpu:2(S:1-0)", "Invalid GRES 'gpu:2(S:1-0)': bad socket range '1-0'"},
      {"gpu:2(S:0,)", "Invalid GRES 'gpu:2(S:0,)': bad socket range ''"},
      {"gpu:2(S:1024)", "Invalid GRES 'gpu:2(S:1024)': bad socket range '1024'"},
      {"gpu:2(C:0)", "Invalid GRES 'gpu:2(C:0)': expected (S:<sockets>)"},
      {"gpu:2(S:0", "Invalid GRES 'gpu:2(S:0': expected (S:<sockets>)"},
      {"gpu:no_consume:tesla:2", "Invalid GRES 'gpu:no_consume:tesla:2': unexpected field 'tesla'"},
      {"gpu:tesla:2,gpu:tesla:4", "Invalid GRES 'gpu:tesla:4': given twice"},
  };
  for (const ErrorCase& c : cases) {
    auto r = ParseNodeGres(c.input);
    ASSERT_FALSE(r.has_value()) << c.input;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidGres) << c.input;
    EXPECT_EQ(r.error().message(), c.message) << c.input;
  }
}

TEST(GresTest, Names) {
  EXPECT_TRUE(IsValidGresName("gpu"));
  EXPECT_TRUE(IsValidGresName("nvidia-gpu_2"));
  EXPECT_FALSE(IsValidGresName("2gpu"));
  EXPECT_FALSE(IsValidGresName("GRES"));
  EXPECT_FALSE(IsValidGresName("gpu.x"));
  EXPECT_TRUE(IsValidGresType("1g.5gb"));
  EXPECT_FALSE(IsValidGresType("no_consume"));
  EXPECT_FALSE(IsValidGresType("a:b"));
}

TEST(GresTest, AddsToTresLikeSlurmAccounts) {
  Tres tres = *Tres::Parse("cpu=8,mem=10G,node=1,billing=8");
  AddGresToTres(*ParseGresRequest("gpu:nvidia_l40s:2,mps:100"), &tres);
  EXPECT_EQ(tres.ToString(),
            "cpu=8,mem=10G,node=1,billing=8,gres/gpu=2,gres/gpu:nvidia_l40s=2,gres/mps=100");
  AddGresToTres(*ParseGresRequest("gpu:1"), &tres);
  EXPECT_EQ(tres.Get(TresKey::Gres("gpu")), 3u);
}

// Generators for well-formed specs.
rc::Gen<std::string> GenWord(std::string first_chars, std::string chars) {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(0, 6), [=](size_t n) {
    return rc::gen::apply([](char first, std::string rest) { return std::string(1, first) + rest; },
                          rc::gen::elementOf(first_chars),
                          rc::gen::container<std::string>(n, rc::gen::elementOf(chars)));
  });
}

rc::Gen<std::string> GenGresName() {
  return rc::gen::suchThat(GenWord("gGmnb", "abgpu_-0129"),
                           [](const std::string& s) { return IsValidGresName(s); });
}

rc::Gen<std::string> GenGresType() {
  return rc::gen::suchThat(GenWord("atnk1902_.-", "abcdefgknorstuv_0129.-"),
                           [](const std::string& s) { return IsValidGresType(s); });
}

rc::Gen<uint64_t> GenGresCount() {
  return rc::gen::oneOf(rc::gen::inRange<uint64_t>(0, 17), rc::gen::arbitrary<uint64_t>());
}

std::vector<GresSpec> GenSpecs(bool node) {
  std::vector<GresSpec> specs;
  int n = *rc::gen::inRange(1, 5);
  for (int i = 0; i < n; ++i) {
    GresSpec g;
    g.name = *GenGresName();
    if (*rc::gen::arbitrary<bool>()) g.type = *GenGresType();
    g.count = *GenGresCount();
    if (node) {
      g.no_consume = *rc::gen::arbitrary<bool>();
      if (*rc::gen::arbitrary<bool>()) {
        std::vector<uint32_t> s = *rc::gen::container<std::vector<uint32_t>>(
            rc::gen::inRange<uint32_t>(0, kMaxGresSocket + 1));
        std::sort(s.begin(), s.end());
        s.erase(std::unique(s.begin(), s.end()), s.end());
        g.sockets = s;
      }
    }
    bool dup = false;
    for (const GresSpec& seen : specs) dup |= seen.name == g.name && seen.type == g.type;
    if (!dup) specs.push_back(g);
  }
  return specs;
}

RC_GTEST_PROP(GresProp, RequestPrintParseRoundTrip, ()) {
  std::vector<GresSpec> specs = GenSpecs(false);
  auto parsed = ParseGresRequest(FormatGresList(specs));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == specs);
  auto from_tres_form = ParseGresRequest(FormatGresTresPerNode(specs));
  RC_ASSERT(from_tres_form.has_value());
  RC_ASSERT(*from_tres_form == specs);
}

RC_GTEST_PROP(GresProp, NodePrintParseRoundTrip, ()) {
  std::vector<GresSpec> specs = GenSpecs(true);
  auto parsed = ParseNodeGres(FormatGresList(specs));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == specs);
}

RC_GTEST_PROP(GresProp, GpusOptionRoundTrip, ()) {
  std::vector<GresSpec> specs = GenSpecs(false);
  std::string text;
  for (GresSpec& g : specs) {
    g.name = "gpu";
  }
  std::vector<GresSpec> unique;
  for (const GresSpec& g : specs) {
    bool dup = false;
    for (const GresSpec& u : unique) dup |= u.type == g.type;
    if (dup) continue;
    unique.push_back(g);
    if (!text.empty()) text += ",";
    text += (g.type.empty() ? "" : g.type + ":") + std::to_string(g.count);
  }
  auto parsed = ParseGpusOption(text);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == unique);
}

RC_GTEST_PROP(GresProp, TresStringsParseAsTres, ()) {
  std::vector<GresSpec> specs = GenSpecs(false);
  std::string text;
  for (const GresSpec& g : specs) text += (text.empty() ? "" : ",") + g.ToTresString();
  auto tres = Tres::Parse(text);
  RC_ASSERT(tres.has_value());
  for (const GresSpec& g : specs) RC_ASSERT(tres->Get(g.ToTresKey()) == g.count);
}

}  // namespace
}  // namespace drover
