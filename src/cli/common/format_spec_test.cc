#include "cli/common/format_spec.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "cli/common/format_json.h"
#include "cli/common/format_table.h"

namespace drover::cli {
namespace {

FormatField Field(std::string name, std::optional<int> width, bool right, std::string suffix,
                  bool auto_width = false) {
  return FormatField{std::move(name), width, right, auto_width, std::move(suffix)};
}

TEST(FormatSpecTest, PercentForms) {
  struct Case {
    std::string text;
    FormatSpec want;
  };
  const Case cases[] = {
      {"%.18i %.9P %R",
       {FormatStyle::kPercent,
        "",
        {Field("i", 18, true, " "), Field("P", 9, true, " "), Field("R", {}, false, "")}}},
      {"%20E", {FormatStyle::kPercent, "", {Field("E", 20, false, "")}}},
      {"%-5j", {FormatStyle::kPercent, "", {Field("j", 5, false, "")}}},
      {"%#P|", {FormatStyle::kPercent, "", {Field("P", {}, false, "|", true)}}},
      {"id: %i 100%%", {FormatStyle::kPercent, "id: ", {Field("i", {}, false, " 100%")}}},
      {"no fields", {FormatStyle::kPercent, "no fields", {}}},
      {"%0i", {FormatStyle::kPercent, "", {Field("i", 0, false, "")}}},
  };
  for (const Case& c : cases) {
    Result<FormatSpec> got = ParsePercentFormat(c.text);
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(FormatSpecTest, PercentErrors) {
  for (const char* bad : {"%", "%.", "%12", "%!", "abc %.5", "%99999i"}) {
    Result<FormatSpec> got = ParsePercentFormat(bad);
    ASSERT_FALSE(got.has_value()) << bad;
    EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(got.error().message().starts_with("Invalid format specification")) << bad;
  }
}

TEST(FormatSpecTest, LongForms) {
  Result<FormatSpec> got = ParseLongFormat("JobID:10,Partition:.9,Name,State:.5|,,");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->fields, (std::vector<FormatField>{
                             Field("JobID", 10, false, ""), Field("Partition", 9, true, ""),
                             Field("Name", {}, false, ""), Field("State", 5, true, "|")}));
  EXPECT_FALSE(ParseLongFormat(":10").has_value());
  EXPECT_FALSE(ParseLongFormat("JobID:100000").has_value());
}

TEST(FormatSpecTest, Cells) {
  EXPECT_EQ(FormatCell("35469_[1-5%2]", 10, true), "35469_[1-5");
  EXPECT_EQ(FormatCell("TIME_LIMIT", 9, true), "TIME_LIMI");
  EXPECT_EQ(FormatCell("ab", 4, true), "  ab");
  EXPECT_EQ(FormatCell("ab", 4, false), "ab  ");
  EXPECT_EQ(FormatCell("abcdef", 0, false), "abcdef");
}

struct Row {
  std::string a, b;
};

const FieldDef<Row> kTable[] = {
    {"Alpha", 'a', "ALPHA", [](const Row& r) { return r.a; }},
    {"Beta", 'b', "BETA", [](const Row& r) { return r.b; }},
};

TEST(FormatTableTest, ResolveAndRender) {
  Result<Layout<Row>> layout =
      ResolveFormat<Row>(*ParsePercentFormat(">%.6a|%-3b<"), kTable, "thing");
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(RenderHeader(*layout), "> ALPHA|BET<\n");
  EXPECT_EQ(RenderRow(*layout, Row{"x", "yz"}), ">     x|yz <\n");
  Result<Layout<Row>> bad = ResolveFormat<Row>(*ParsePercentFormat("%c"), kTable, "thing");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "Invalid thing format specification: c");
  Result<Layout<Row>> long_layout =
      ResolveFormat<Row>(*ParseLongFormat("beta,ALPHA:3"), kTable, "x");
  ASSERT_TRUE(long_layout.has_value());
  EXPECT_EQ(RenderRow(*long_layout, Row{"abcd", "b"}), "b                   abc\n");
  Layout<Row> auto_layout = *ResolveFormat<Row>(*ParsePercentFormat("%#a."), kTable, "x");
  std::vector<Row> rows = {{"long value", ""}};
  ApplyAutoWidths<Row>(&auto_layout, rows, 3);
  EXPECT_EQ(RenderHeader(auto_layout), "ALPHA     .\n");
}

TEST(FormatJsonTest, SlurmStyle) {
  JsonObject o{
      {"a/b", "x/y"}, {"empty", JsonArray{}}, {"n", nullptr}, {"list", JsonArray{1, true}}};
  EXPECT_EQ(WriteJson(o),
            "{\n  \"a\\/b\": \"x\\/y\",\n  \"empty\": [\n  ],\n  \"n\": null,\n"
            "  \"list\": [\n    1,\n    true\n  ]\n}\n");
}

// Literal text and fields, any characters, written back and parsed again.
RC_GTEST_PROP(FormatSpecProperty, PercentRoundTrip, ()) {
  FormatSpec spec;
  spec.style = FormatStyle::kPercent;
  spec.prefix = *rc::gen::arbitrary<std::string>();
  int n = *rc::gen::inRange(0, 6);
  for (int i = 0; i < n; ++i) {
    FormatField f;
    f.name =
        std::string(1, *rc::gen::oneOf(rc::gen::inRange('a', 'z'), rc::gen::inRange('A', 'Z')));
    f.right = *rc::gen::arbitrary<bool>();
    f.auto_width = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) f.width = *rc::gen::inRange(0, kMaxFormatWidth + 1);
    f.suffix = *rc::gen::arbitrary<std::string>();
    spec.fields.push_back(f);
  }
  // A suffix or prefix that starts with a digit would read as the next width; the text
  // after a field is literal, so only the field's own width can swallow digits: none here
  // because the letter ends the field.
  Result<FormatSpec> back = ParsePercentFormat(FormatSpecToString(spec));
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == spec);
}

RC_GTEST_PROP(FormatSpecProperty, LongRoundTrip, ()) {
  FormatSpec spec;
  spec.style = FormatStyle::kLong;
  int n = *rc::gen::inRange(1, 6);
  auto name_char = rc::gen::oneOf(rc::gen::inRange('a', 'z'), rc::gen::element('-', '_'));
  for (int i = 0; i < n; ++i) {
    FormatField f;
    f.name = *rc::gen::nonEmpty(rc::gen::container<std::string>(name_char));
    f.right = *rc::gen::arbitrary<bool>();
    f.width = *rc::gen::inRange(0, kMaxFormatWidth + 1);
    f.suffix = *rc::gen::container<std::string>(rc::gen::element('|', ' ', 'x', ':'));
    spec.fields.push_back(f);
  }
  Result<FormatSpec> back = ParseLongFormat(FormatSpecToString(spec));
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == spec);
}

// Whatever the text, parsing never crashes and what parses prints back to a spec that
// parses to itself.
RC_GTEST_PROP(FormatSpecProperty, AnyTextIsStable, (const std::string& text)) {
  Result<FormatSpec> spec = ParsePercentFormat(text);
  if (!spec) return;
  Result<FormatSpec> again = ParsePercentFormat(FormatSpecToString(*spec));
  RC_ASSERT(again.has_value());
  RC_ASSERT(*again == *spec);
}

}  // namespace
}  // namespace drover::cli
