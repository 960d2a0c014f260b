#include "fhir/fhir_search.h"

#include <gtest/gtest.h>

namespace renkei::fhir {
namespace {

TEST(FhirSearchTest, QueryStringEncodes) {
  EXPECT_EQ(QueryString({{"patient.identifier", "urn:oid:1.2|A 1"}, {"_count", "2"}}),
            "patient.identifier=urn%3Aoid%3A1.2%7CA%201&_count=2");
}

TEST(FhirSearchTest, SearchsetWithNextAndEntries) {
  const std::string json =
      SearchsetJson("http://h/fhir/List?a=1", "http://h/fhir/List?a=1&_page=2",
                    {{"http://h/fhir/List/x", R"({"resourceType":"List"})"}}, 3);
  EXPECT_EQ(
      json,
      R"({"resourceType":"Bundle","type":"searchset","total":3,"link":[{"relation":"self",)"
      R"("url":"http://h/fhir/List?a=1"},{"relation":"next","url":"http://h/fhir/List?a=1&_page=2"}],)"
      R"("entry":[{"fullUrl":"http://h/fhir/List/x","resource":{"resourceType":"List"},)"
      R"("search":{"mode":"match"}}]})");
  EXPECT_EQ(
      SearchsetJson("s", "", {}),
      R"({"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"s"}]})");
}

}  // namespace
}  // namespace renkei::fhir
