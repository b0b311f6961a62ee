// Tests for the hand-written JSON of event payloads and log lines.
#include "core/json_text.h"

#include <gtest/gtest.h>

namespace kaiwa::core {
namespace {

TEST(JsonTextTest, EscapesQuotesBackslashesAndControls) {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001")");
}

TEST(JsonTextTest, KeepsUtf8AsIs) {
  std::string out;
  append_json_string(out, "会議");
  EXPECT_EQ(out, "\"会議\"");
}

TEST(JsonTextTest, LogLineEscapesEveryValue) {
  EXPECT_EQ(json_log_line("cannot open", {{"error", "no \"data\" dir"}, {"path", "/tmp/x"}}),
            R"({"msg":"cannot open","error":"no \"data\" dir","path":"/tmp/x"})");
  EXPECT_EQ(json_log_line("ready"), R"({"msg":"ready"})");
}

}  // namespace
}  // namespace kaiwa::core
