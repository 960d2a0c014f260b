// HL7 v2 ER7 parser and encoder (see hl7_message.h).
#include "pix/hl7_message.h"

#include <cctype>
#include <utility>

namespace renkei::hl7 {

namespace {

constexpr char kParse[] = "hl7.parse";

const std::string& Empty() {
  static const std::string empty;
  return empty;
}

Status ParseError(const std::string& message, const std::string& location) {
  return Status::InvalidArgument(kParse, message, location);
}

// Splits `s` on `sep` (an empty input gives one empty piece).
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

Field ParseField(std::string_view text, const Delimiters& d) {
  Field field;
  if (text.empty()) return field;
  for (std::string_view rep : Split(text, d.repetition)) {
    Repetition r;
    for (std::string_view comp : Split(rep, d.component)) {
      Component c;
      for (std::string_view sub : Split(comp, d.subcomponent)) c.push_back(Unescape(sub, d));
      r.push_back(std::move(c));
    }
    field.push_back(std::move(r));
  }
  return field;
}

bool ValidSegmentId(std::string_view id) {
  if (id.size() != 3) return false;
  for (char c : id) {
    if (!std::isupper(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// The delimiters from the raw MSH line (MSH-1 and MSH-2).
Result<Delimiters> ReadDelimiters(std::string_view msh) {
  if (msh.size() < 8 || msh.substr(0, 3) != "MSH") {
    return ParseError("the message does not start with an MSH segment carrying its delimiters",
                      "MSH-1");
  }
  Delimiters d;
  d.field = msh[3];
  const size_t end = msh.find(d.field, 4);
  const std::string_view enc = msh.substr(4, end == std::string_view::npos ? msh.size() - 4
                                                                            : end - 4);
  if (enc.size() != 4 && enc.size() != 5) {
    return ParseError("MSH-2 must hold 4 or 5 encoding characters, not " +
                          std::to_string(enc.size()),
                      "MSH-2");
  }
  d.component = enc[0];
  d.repetition = enc[1];
  d.escape = enc[2];
  d.subcomponent = enc[3];
  if (enc.size() == 5) d.truncation = enc[4];
  const std::string all = std::string(1, d.field) + std::string(enc);
  for (size_t i = 0; i < all.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(all[i]);
    if (std::isalnum(c) || c < 0x21 || c > 0x7e || all.find(all[i], i + 1) != std::string::npos) {
      return ParseError("MSH-1/MSH-2 delimiters must be distinct printable non-alphanumeric "
                        "characters",
                        "MSH-2");
    }
  }
  return d;
}

// The raw text of field `n` of the raw MSH line (MSH-1 is the separator itself).
std::string_view RawMshField(std::string_view msh, char sep, int n) {
  std::vector<std::string_view> parts = Split(msh, sep);
  // parts[0] = "MSH", parts[1] = MSH-2, parts[k] = MSH-(k+1).
  const size_t index = static_cast<size_t>(n - 1);
  return index < parts.size() ? parts[index] : std::string_view();
}

// Blank: nothing but spaces, tabs and stray MLLP framing bytes (0x0B, 0x1C).
bool Blank(std::string_view line) {
  return line.find_first_not_of(" \t\x0b\x1c") == std::string_view::npos;
}

bool StartsSegment(std::string_view line, char field) {
  return line.size() >= 3 && ValidSegmentId(line.substr(0, 3)) &&
         (line.size() == 3 || line[3] == field);
}

// The segments of a message: text between CR, LF or CR LF, blank lines skipped. A line
// after a bare LF that cannot start a segment continues the previous one (files wrapped
// at a fixed width, such as NIST's A01-2.hl7); after a CR, the real terminator, it stays a
// segment of its own and is refused by the caller.
std::vector<std::string> SegmentTexts(std::string_view text, char field) {
  std::vector<std::string> out;
  size_t start = 0;
  bool after_bare_lf = false;
  while (start < text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const bool bare_lf = end < text.size() && text[end] == '\n';
    start = end + 1;
    if (end < text.size() && text[end] == '\r' && start < text.size() && text[start] == '\n') {
      ++start;  // CR LF
    }
    if (!Blank(line)) {
      if (after_bare_lf && !out.empty() && !StartsSegment(line, field)) {
        out.back().append(line);
      } else {
        out.emplace_back(line);
      }
    }
    after_bare_lf = bare_lf;
  }
  return out;
}

std::string_view FirstLine(std::string_view bytes) {
  const size_t end = bytes.find_first_of("\r\n");
  return end == std::string_view::npos ? bytes : bytes.substr(0, end);
}

}  // namespace

// --- Segment

const Field* Segment::GetField(int field) const {
  if (field < 1 || field > field_count()) return nullptr;
  return &fields_[static_cast<size_t>(field - 1)];
}

int Segment::Repetitions(int field) const {
  const Field* f = GetField(field);
  return f ? static_cast<int>(f->size()) : 0;
}

int Segment::Components(int field, int rep) const {
  const Field* f = GetField(field);
  if (!f || rep < 1 || rep > static_cast<int>(f->size())) return 0;
  return static_cast<int>((*f)[static_cast<size_t>(rep - 1)].size());
}

const std::string& Segment::Value(int field, int rep, int component, int subcomponent) const {
  const Field* f = GetField(field);
  if (!f || rep < 1 || rep > static_cast<int>(f->size())) return Empty();
  const Repetition& r = (*f)[static_cast<size_t>(rep - 1)];
  if (component < 1 || component > static_cast<int>(r.size())) return Empty();
  const Component& c = r[static_cast<size_t>(component - 1)];
  if (subcomponent < 1 || subcomponent > static_cast<int>(c.size())) return Empty();
  return c[static_cast<size_t>(subcomponent - 1)];
}

void Segment::Set(int field, int rep, int component, int subcomponent, const std::string& value) {
  if (field < 1 || rep < 1 || component < 1 || subcomponent < 1) return;
  if (static_cast<int>(fields_.size()) < field) fields_.resize(static_cast<size_t>(field));
  Field& f = fields_[static_cast<size_t>(field - 1)];
  if (static_cast<int>(f.size()) < rep) f.resize(static_cast<size_t>(rep));
  Repetition& r = f[static_cast<size_t>(rep - 1)];
  if (static_cast<int>(r.size()) < component) r.resize(static_cast<size_t>(component));
  Component& c = r[static_cast<size_t>(component - 1)];
  if (static_cast<int>(c.size()) < subcomponent) c.resize(static_cast<size_t>(subcomponent));
  c[static_cast<size_t>(subcomponent - 1)] = value;
}

void Segment::SetField(int field, Field value) {
  if (field < 1) return;
  if (static_cast<int>(fields_.size()) < field) fields_.resize(static_cast<size_t>(field));
  fields_[static_cast<size_t>(field - 1)] = std::move(value);
}

// --- Message

const Segment* Message::Find(std::string_view id, int nth) const {
  int seen = 0;
  for (const Segment& s : segments_) {
    if (s.id() == id && ++seen == nth) return &s;
  }
  return nullptr;
}

Segment* Message::Edit(std::string_view id, int nth) {
  return const_cast<Segment*>(std::as_const(*this).Find(id, nth));
}

Segment& Message::Add(std::string id) {
  segments_.emplace_back(std::move(id));
  return segments_.back();
}

std::string Message::MessageCode() const {
  const Segment* msh = Find("MSH");
  return msh ? msh->Value(9, 1, 1) : std::string();
}

std::string Message::TriggerEvent() const {
  const Segment* msh = Find("MSH");
  return msh ? msh->Value(9, 1, 2) : std::string();
}

std::string Message::ControlId() const {
  const Segment* msh = Find("MSH");
  return msh ? msh->Value(10) : std::string();
}

std::string Message::Version() const {
  const Segment* msh = Find("MSH");
  return msh ? msh->Value(12) : std::string();
}

// --- escapes

std::string Escape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    char code = 0;
    if (c == d.field) {
      code = 'F';
    } else if (c == d.component) {
      code = 'S';
    } else if (c == d.subcomponent) {
      code = 'T';
    } else if (c == d.repetition) {
      code = 'R';
    } else if (c == d.escape) {
      code = 'E';
    } else if (d.truncation != '\0' && c == d.truncation) {
      code = 'P';
    }
    if (code == 0) {
      out.push_back(c);
      continue;
    }
    out.push_back(d.escape);
    out.push_back(code);
    out.push_back(d.escape);
  }
  return out;
}

std::string Unescape(std::string_view text, const Delimiters& d) {
  if (text.find(d.escape) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const size_t close = c == d.escape ? text.find(d.escape, i + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out.push_back(c);  // not an escape, or an unterminated one: kept as written
      ++i;
      continue;
    }
    const std::string_view seq = text.substr(i + 1, close - i - 1);
    if (seq == "F") {
      out.push_back(d.field);
    } else if (seq == "S") {
      out.push_back(d.component);
    } else if (seq == "T") {
      out.push_back(d.subcomponent);
    } else if (seq == "R") {
      out.push_back(d.repetition);
    } else if (seq == "E") {
      out.push_back(d.escape);
    } else if (seq == "P" && d.truncation != '\0') {
      out.push_back(d.truncation);
    } else if (seq.size() >= 3 && seq[0] == 'X' && (seq.size() - 1) % 2 == 0 &&
               seq.find_first_not_of("0123456789ABCDEFabcdef", 1) == std::string_view::npos) {
      for (size_t k = 1; k + 1 < seq.size(); k += 2) {
        out.push_back(static_cast<char>(std::stoi(std::string(seq.substr(k, 2)), nullptr, 16)));
      }
    } else {
      out.append(text.substr(i, close - i + 1));  // formatting etc.: kept
    }
    i = close + 1;
  }
  return out;
}

// --- parse / encode

Result<Message> Parse(std::string_view bytes) {
  // Leading whitespace (a stray CR LF before MSH) is tolerated.
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n' ||
                            bytes.front() == ' ' || bytes.front() == '\t')) {
    bytes.remove_prefix(1);
  }
  const std::string_view raw_msh = FirstLine(bytes);
  RENKEI_ASSIGN_OR_RETURN(Delimiters d, ReadDelimiters(raw_msh));
  RENKEI_ASSIGN_OR_RETURN(Charset charset,
                          CharsetFromMsh(RawMshField(raw_msh, d.field, 18), d.repetition,
                                         RawMshField(raw_msh, d.field, 20)));
  RENKEI_ASSIGN_OR_RETURN(std::string text, ToUtf8(bytes, charset));

  Message m;
  m.delimiters_ = d;
  m.charset_ = charset;
  int line = 0;
  for (const std::string& seg_text : SegmentTexts(text, d.field)) {
    ++line;
    std::vector<std::string_view> fields = Split(seg_text, d.field);
    if (!ValidSegmentId(fields[0])) {
      return ParseError("segment " + std::to_string(line) + " has no valid segment id ('" +
                            std::string(fields[0].substr(0, 8)) + "')",
                        "segment " + std::to_string(line));
    }
    if (line == 1 && fields[0] != "MSH") return ParseError("MSH must come first", "segment 1");
    Segment& seg = m.Add(std::string(fields[0]));
    if (seg.id() == "MSH") {
      // MSH-1 is the field separator and MSH-2 the encoding characters, both taken as is.
      seg.Set(1, std::string(1, d.field));
      seg.Set(2, fields.size() > 1 ? std::string(fields[1]) : std::string());
      for (size_t k = 2; k < fields.size(); ++k) {
        seg.SetField(static_cast<int>(k + 1), ParseField(fields[k], d));
      }
    } else {
      for (size_t k = 1; k < fields.size(); ++k) {
        seg.SetField(static_cast<int>(k), ParseField(fields[k], d));
      }
    }
  }
  if (m.segments_.empty()) return ParseError("empty message", "MSH");
  return m;
}

namespace {

void AppendField(std::string* out, const Field& field, const Delimiters& d) {
  for (size_t r = 0; r < field.size(); ++r) {
    if (r) out->push_back(d.repetition);
    const Repetition& rep = field[r];
    for (size_t c = 0; c < rep.size(); ++c) {
      if (c) out->push_back(d.component);
      for (size_t s = 0; s < rep[c].size(); ++s) {
        if (s) out->push_back(d.subcomponent);
        out->append(Escape(rep[c][s], d));
      }
    }
  }
}

}  // namespace

Result<std::string> Encode(const Message& message) {
  const Delimiters& d = message.delimiters();
  std::string out;
  for (const Segment& seg : message.segments()) {
    out.append(seg.id());
    const int first = seg.id() == "MSH" ? 3 : 1;
    if (seg.id() == "MSH") {
      out.push_back(d.field);
      out.push_back(d.component);
      out.push_back(d.repetition);
      out.push_back(d.escape);
      out.push_back(d.subcomponent);
      if (d.truncation != '\0') out.push_back(d.truncation);
    }
    // Trailing empty fields are not written.
    int last = seg.field_count();
    while (last >= first && seg.Repetitions(last) == 0) --last;
    for (int f = first; f <= last; ++f) {
      out.push_back(d.field);
      const Field* field = seg.GetField(f);
      if (field) AppendField(&out, *field, d);
    }
    out.push_back('\r');
  }
  return FromUtf8(out, message.charset());
}

}  // namespace renkei::hl7
