// HL7 v2 general acknowledgements (HL7 v2.5 2.9.2 and 2.15.5 ERR; IHE ITI TF-2 C.2.3):
// the ACK a PIX Manager answers an ITI-8 feed with, with MSA-1 AA / AE / AR and one ERR per
// problem found.
//
//   MSH  sending and receiving application/facility swapped from the request; MSH-9
//        ACK^<trigger event>^ACK; a new MSH-10; MSH-12 the request's version; the request's
//        character set (MSH-18) and delimiters
//   MSA  MSA-1 the code, MSA-2 the request's MSH-10, MSA-3 the first error's text
//   ERR  v2.5 and later: ERR-2 location (segment^sequence^field[^repetition^component]),
//        ERR-3 code^text^HL70357, ERR-4 severity E, ERR-8 the text;
//        v2.3.x (no ERR-2..): ERR-1 segment^sequence^field^code&text&HL70357
//
// Thread-safety: pure functions.
#ifndef RENKEI_PIX_HL7_ACK_H_
#define RENKEI_PIX_HL7_ACK_H_

#include <string>
#include <vector>

#include "pix/hl7_message.h"

namespace renkei::pix {

enum class AckCode { kAccept, kError, kReject };  // AA, AE, AR
const char* AckCodeText(AckCode code);

struct AckError {
  std::string code;      // HL7 Table 0357: "100" .. "207"
  std::string location;  // "PID^1^3" (ERL components), may be empty
  std::string text;      // what a person at the sender can act on
};

// The text HL7 Table 0357 gives a code ("Unknown key identifier" for 204); "" if unknown.
const char* Hl7ErrorText(const std::string& code);

struct AckContext {
  std::string application = "RENKEI";  // MSH-3
  std::string facility;                // MSH-4
  std::string control_id;              // MSH-10 of the ACK
  std::string timestamp;               // MSH-7, YYYYMMDDHHMMSS[+ZZZZ]
};

// The ACK for `request`.
hl7::Message MakeAck(const hl7::Message& request, AckCode code,
                     const std::vector<AckError>& errors, const AckContext& ctx);

// The ACK for bytes that are not a parsable message: AR, MSA-2 the MSH-10 when the raw
// text shows one, one ERR with `error`.
hl7::Message MakeRejectForUnparsable(std::string_view raw, const AckError& error,
                                     const AckContext& ctx);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_HL7_ACK_H_
