// OperationOutcome: what the writer writes, the reader reads back.
#include "common/fhir_outcome.h"

#include <gtest/gtest.h>

namespace renkei {
namespace {

TEST(FhirOutcome, TextReadsBackWhatWasWritten) {
  EXPECT_EQ(OperationOutcomeText(OperationOutcomeJson("not-found", "no \"such\" patient")),
            "no \"such\" patient");
  EXPECT_EQ(OperationOutcomeText(
                R"({"resourceType":"OperationOutcome","issue":[{"severity":"error",
                    "code":"invalid","details":{"text":"only details"}}]})"),
            "only details");
  for (const char* none : {"", "not json", "[]", R"({"resourceType":"Patient"})",
                           R"({"resourceType":"OperationOutcome","issue":[]})",
                           R"({"resourceType":"OperationOutcome","issue":[{"code":"x"}]})"}) {
    EXPECT_EQ(OperationOutcomeText(none), "") << none;
  }
}

}  // namespace
}  // namespace renkei
