// HL7 v2 messages in ER7 (pipe-and-hat) encoding: a plain model, the parser and the encoder.
//
// A message is a list of segments; a segment is a list of fields; a field a list of
// repetitions; a repetition a list of components; a component a list of subcomponents, each
// a string of UTF-8 text with the escape sequences resolved (HL7 v2.5 Ch. 2, 2.5–2.7).
// Positions follow the standard's 1-based numbering everywhere: field 3 of PID is PID-3,
// component 4 of its second repetition is PID-3(2).4 = Value(3, 2, 4).
//
// Parsing accepts what real senders send: segments ended by CR, LF or CR LF; delimiters
// from MSH-1 and MSH-2 (4 encoding characters, or 5 with the v2.7 truncation character);
// the character set named in MSH-18 (hl7_charset.h), decoded before the delimiters are
// looked at, so that a JIS X 0208 byte pair that looks like '|' or '^' is never split.
// The HL7 null "" is kept as the two characters `""` (IsNull tells it apart).
//
// Thread-safety: values; the functions are pure.
#ifndef RENKEI_PIX_HL7_MESSAGE_H_
#define RENKEI_PIX_HL7_MESSAGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pix/hl7_charset.h"

namespace renkei::hl7 {

struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // v2.7 '#', when MSH-2 has five characters
};

using Component = std::vector<std::string>;   // subcomponents
using Repetition = std::vector<Component>;    // components
using Field = std::vector<Repetition>;         // repetitions

class Segment {
 public:
  Segment() = default;
  explicit Segment(std::string id) : id_(std::move(id)) {}

  const std::string& id() const { return id_; }
  // The number of the last field present (0 when none).
  int field_count() const { return static_cast<int>(fields_.size()); }
  // Repetitions of field `field` (0 when absent or empty).
  int Repetitions(int field) const;
  // Components of `field`(`rep`) (0 when absent).
  int Components(int field, int rep = 1) const;
  // The text at field(rep).component.subcomponent; "" when absent.
  const std::string& Value(int field, int rep = 1, int component = 1,
                           int subcomponent = 1) const;
  const Field* GetField(int field) const;

  // Sets the text at a position, growing the segment as needed.
  void Set(int field, const std::string& value) { Set(field, 1, 1, 1, value); }
  void Set(int field, int rep, int component, int subcomponent, const std::string& value);
  void SetComponent(int field, int component, const std::string& value) {
    Set(field, 1, component, 1, value);
  }
  // Replaces a whole field.
  void SetField(int field, Field value);

 private:
  friend class Message;
  std::string id_;
  std::vector<Field> fields_;  // fields_[0] is field 1
};

class Message {
 public:
  const std::vector<Segment>& segments() const { return segments_; }
  const Delimiters& delimiters() const { return delimiters_; }
  Charset charset() const { return charset_; }
  void set_charset(Charset c) { charset_ = c; }

  // An empty message with this one's delimiters and character set (a reply's start).
  Message WithoutSegments() const {
    Message m;
    m.delimiters_ = delimiters_;
    m.charset_ = charset_;
    return m;
  }
  // The `nth` (1-based) segment with this id, or nullptr.
  const Segment* Find(std::string_view id, int nth = 1) const;
  Segment* Edit(std::string_view id, int nth = 1);
  Segment& Add(std::string id);

  // MSH-9 parts, MSH-10, MSH-12 (the version's first component).
  std::string MessageCode() const;   // "ADT"
  std::string TriggerEvent() const;  // "A01"
  std::string ControlId() const;
  std::string Version() const;

 private:
  friend Result<Message> Parse(std::string_view bytes);
  std::vector<Segment> segments_;
  Delimiters delimiters_;
  Charset charset_ = Charset::kDefault;
};

// The HL7 null: a value of exactly `""`.
inline bool IsNull(std::string_view v) { return v == "\"\""; }

// Parses one message. InvalidArgument (detail "hl7.parse", location such as "MSH-2" or
// "segment 3") for: no MSH first, an MSH too short to carry its delimiters, delimiters that
// repeat or are alphanumeric, a segment id that is not three upper-case letters or digits;
// detail "hl7.charset" for an unsupported MSH-18 character set and "hl7.bytes" for bytes
// invalid in the declared one (location "MSH-18").
Result<Message> Parse(std::string_view bytes);

// The message in ER7, segments ended by CR, values escaped, in `message.charset()`
// (InvalidArgument when a value cannot be represented in it). MSH-1 and MSH-2 are written
// from the delimiters whatever the segment holds.
Result<std::string> Encode(const Message& message);

// Escape sequences (HL7 v2.5 2.7): delimiters to \F\ \S\ \T\ \R\ \E\ (and \P\ for the
// truncation character); Unescape resolves those and \Xhh..\ and keeps any other sequence
// (formatting such as \.br\ or \H\) as written.
std::string Escape(std::string_view text, const Delimiters& d);
std::string Unescape(std::string_view text, const Delimiters& d);

}  // namespace renkei::hl7

#endif  // RENKEI_PIX_HL7_MESSAGE_H_
