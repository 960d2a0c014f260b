#include "common/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace renkei {
namespace {

const std::vector<ConfigKey> kSchema = {
    {"data_dir", ConfigType::kString, "\"./var\"", "where data lives"},
    {"http.listen", ConfigType::kString, "\"127.0.0.1:8080\"", "listener"},
    {"http.threads", ConfigType::kInt, "16", "threads"},
    {"tls.insecure_loopback", ConfigType::kBool, "false", "plain HTTP on loopback"},
    {"registry.known_patient_ids", ConfigType::kStringList, "[]", "patients"},
};

std::string WriteTemp(const std::string& text) {
  char name[] = "/tmp/renkei_config_testXXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

TEST(ConfigTest, DefaultsFileAndOverrides) {
  std::string f = WriteTemp("{ // comment\n \"http\": {\"listen\": \"127.0.0.1:9000\"}}");
  auto c = Config::Load(kSchema, f, {"tls.insecure_loopback=true", "http.threads=4",
                                     "registry.known_patient_ids=[\"a^^^&1.2&ISO\"]",
                                     "data_dir=/tmp/x"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->GetString("http.listen"), "127.0.0.1:9000");
  EXPECT_EQ(c->GetInt("http.threads"), 4);
  EXPECT_TRUE(c->GetBool("tls.insecure_loopback"));
  EXPECT_EQ(c->GetString("data_dir"), "/tmp/x");  // not JSON: taken as a string
  ASSERT_EQ(c->GetStringList("registry.known_patient_ids").size(), 1u);
  std::remove(f.c_str());
}

struct BadCase {
  std::string file_text;
  std::vector<std::string> overrides;
  std::string key_named;
};

TEST(ConfigTest, ErrorsNameTheKey) {
  const BadCase cases[] = {
      {"{\"http\": {\"listn\": \"x\"}}", {}, "http.listn"},
      {"{}", {"http.threads=many"}, "http.threads"},
      {"{}", {"tls.insecure_loopback=1"}, "tls.insecure_loopback"},
      {"{}", {"registry.known_patient_ids=\"x\""}, "registry.known_patient_ids"},
      {"{}", {"nosuch=1"}, "nosuch"},
      {"{\"http\": ", {}, "malformed JSON"},
      {"{}", {"noequals"}, "KEY=VALUE"},
  };
  for (const BadCase& bc : cases) {
    std::string f = WriteTemp(bc.file_text);
    auto c = Config::Load(kSchema, f, bc.overrides);
    ASSERT_FALSE(c.ok()) << bc.key_named;
    EXPECT_NE(c.status().message().find(bc.key_named), std::string::npos)
        << c.status().message();
    std::remove(f.c_str());
  }
}

TEST(ConfigTest, ExampleIsLoadableAndExplainsEveryKey) {
  std::string example = Config::Example(kSchema, "example");
  for (const ConfigKey& k : kSchema) {
    EXPECT_NE(example.find("// " + k.help), std::string::npos) << k.path;
  }
  std::string f = WriteTemp(example);
  auto c = Config::Load(kSchema, f, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString() << "\n" << example;
  EXPECT_EQ(c->GetString("http.listen"), "127.0.0.1:8080");
  std::remove(f.c_str());
}

TEST(ConfigTest, HostPort) {
  std::string host;
  int port = -1;
  ASSERT_TRUE(ParseHostPort("http.listen", "127.0.0.1:0", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(ParseHostPort("http.listen", "127.0.0.1", &host, &port).ok());
  EXPECT_FALSE(ParseHostPort("http.listen", "h:99999", &host, &port).ok());
  EXPECT_FALSE(ParseHostPort("http.listen", "h:8o", &host, &port).ok());
}

}  // namespace
}  // namespace renkei
