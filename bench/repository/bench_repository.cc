// bench_repository: the load generator of bench/repository/run.sh (architecture §8: ITI-41
// with 100 KB documents end to end incl. the registry, documents/s; ITI-43 of a 10 MB and a
// 1 GB document, MB/s). A benchmark program: it prints figures, asserts nothing.
//
//   bench_repository provide --url NODE --domain OID [--patients N] --size BYTES
//                            [--connections C] [--seconds S | --count N]
//   bench_repository retrieve --url NODE --repository OID --unique-id UID
//                            [--connections C] [--seconds S | --count N]
//   bench_repository post --url URL --size BYTES ...   (the ceiling: nginx taking a POST)
//   bench_repository get --url URL ...                 (the ceiling: nginx serving a file)
//
// Every command prints one line
//   RESULT requests=N duration_us=D p50_us=.. p99_us=.. failures=F bytes_up=.. bytes_down=..
// and `provide --count` also `unique_id=UID` for its last accepted document. Documents are
// generated while they are sent (a 1 GB body never sits in memory); each request gets fresh
// uniqueIds (ITI-41 registers them at the centre) and one of the patients BP0..BP<N-1> in
// the regional domain OID (the centre must know them: registry.known_patient_ids).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/mtom.h"
#include "profiles/region_document_kinds.h"
#include "xds/repository_codec.h"
#include "xds/soap_http.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string command, url, domain, repository, unique_id;
  int patients = 1;
  uint64_t size = 100 * 1024;
  int connections = 1;
  double seconds = 10;
  long count = 0;  // > 0: that many requests in all instead of --seconds
};

bool Parse(int argc, char** argv, Args* a) {
  if (argc < 2) return false;
  a->command = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url") a->url = v;
    else if (k == "--domain") a->domain = v;
    else if (k == "--patients") a->patients = std::stoi(v);
    else if (k == "--repository") a->repository = v;
    else if (k == "--unique-id") a->unique_id = v;
    else if (k == "--size") a->size = std::stoull(v);
    else if (k == "--connections") a->connections = std::stoi(v);
    else if (k == "--seconds") a->seconds = std::stod(v);
    else if (k == "--count") a->count = std::stol(v);
    else return false;
  }
  return !a->url.empty();
}

// Fills `n` bytes of document content ('A'..'Z' repeating, shifted by offset + seed, so each
// document's bytes are its own) by copying from a prepared pattern: the load generator
// should cost the machine little next to the node it measures.
void FillContent(char* p, size_t n, uint64_t offset, uint64_t seed) {
  static const std::string pattern = [] {
    std::string s((1 << 20) + 26, ' ');
    for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('A' + i % 26);
    return s;
  }();
  const size_t shift = static_cast<size_t>((offset + seed) % 26);
  while (n > 0) {
    const size_t k = std::min(n, pattern.size() - 26);
    std::memcpy(p, pattern.data() + shift, k);
    p += k;
    n -= k;
  }
}

// One ITI-41 request: the MTOM head (root part + the document part's header) and tail.
struct Provide {
  std::string content_type, head, tail, unique_id;
};

Provide MakeProvide(const Args& a, const std::string& patient, uint64_t serial) {
  using namespace renkei;
  const std::string tag = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  xds::SimpleSubmission s;
  s.patient_id = patient;
  s.unique_id = "2.25.1" + tag + std::to_string(serial) + "1";
  s.source_id = "1.2.392.100495.20.3.51.12410000017";
  s.submission_time = "20261126093000";
  s.title = "bench";
  s.author_institution = "Bench Hospital^^^^^&1.2.392.100495.20.3.51.12410000017&ISO";
  const auto& kinds = profiles::RegionDocumentKinds();
  s.content_type_code = kinds[0].class_code;
  xds::SimpleDocument d;
  d.symbolic_id = "Document01";
  profiles::ApplyRegionDocumentKind(kinds[serial % kinds.size()], &d);
  d.mime_type = "application/octet-stream";
  d.unique_id = "2.25.2" + tag + std::to_string(serial) + "2";
  d.creation_time = "20261126083000";
  d.source_patient_id = "A" + std::to_string(serial) + "^^^&1.2.392.100495.20.3.51.12410000017&ISO";
  s.documents.push_back(d);
  xds::ProvideAndRegisterRequest pnr;
  pnr.submission = xds::BuildSubmitObjectsRequest(s);
  pnr.documents.push_back({"Document01", "document@bench", ""});
  const std::string envelope = xds::EncodeSoapRequest(
      xds::kActionProvideAndRegister, a.url + "/xds/repository",
      xds::EncodeProvideAndRegisterRequest(pnr));
  const std::string boundary = NewMtomBoundary();
  Provide p;
  p.content_type = MtomContentType(boundary, "root@bench", xds::kActionProvideAndRegister);
  p.head = MtomPartHeader(boundary, "root@bench", MtomRootPartContentType()) + envelope +
           MtomPartHeader(boundary, "document@bench", "application/octet-stream");
  p.tail = MtomClosing(boundary);
  p.unique_id = d.unique_id;
  return p;
}

std::string RetrieveEnvelope(const Args& a) {
  using namespace renkei;
  return xds::EncodeSoapRequest(xds::kActionRetrieve, a.url + "/xds/repository",
                                xds::EncodeRetrieveDocumentSetRequest(
                                    {{"", a.repository, a.unique_id}}));
}

struct Totals {
  std::mutex mu;
  std::vector<int64_t> latencies_us;
  long failures = 0;
  uint64_t up = 0, down = 0;
  std::string last_unique_id;
};

// Sends one request; streams `size` generated bytes between head and tail when size > 0.
bool Exchange(Poco::Net::HTTPClientSession& session, const std::string& method,
              const std::string& path, const std::string& content_type, const std::string& head,
              uint64_t size, uint64_t seed, const std::string& tail, uint64_t* up, uint64_t* down,
              std::string* answer_start) {
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.setKeepAlive(true);
  if (method == "POST") {
    req.setContentType(content_type);
    req.setContentLength64(static_cast<Poco::Int64>(head.size() + size + tail.size()));
  }
  std::ostream& out = session.sendRequest(req);
  out.write(head.data(), static_cast<std::streamsize>(head.size()));
  static thread_local std::vector<char> chunk(1 << 20);
  for (uint64_t off = 0; off < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), size - off));
    FillContent(chunk.data(), n, off, seed);
    out.write(chunk.data(), static_cast<std::streamsize>(n));
    off += n;
  }
  out.write(tail.data(), static_cast<std::streamsize>(tail.size()));
  *up += head.size() + size + tail.size();
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  for (;;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    if (answer_start->size() < 4096) {
      answer_start->append(chunk.data(), std::min<size_t>(got, 4096 - answer_start->size()));
    }
    *down += static_cast<uint64_t>(got);
  }
  return resp.getStatus() == Poco::Net::HTTPResponse::HTTP_OK;
}

void Worker(const Args& a, int index, Clock::time_point end, std::atomic<long>* remaining,
            Totals* totals) {
  Poco::URI uri(a.url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setKeepAlive(true);
  session.setTimeout(Poco::Timespan(120, 0));
  std::vector<int64_t> lat;
  long failures = 0;
  uint64_t up = 0, down = 0, serial = static_cast<uint64_t>(index) << 40;
  std::string last;
  const std::string retrieve = a.command == "retrieve" ? RetrieveEnvelope(a) : "";
  for (;;) {
    if (a.count > 0 ? remaining->fetch_sub(1) <= 0 : Clock::now() >= end) break;
    ++serial;
    std::string answer;
    const auto t0 = Clock::now();
    bool ok = false;
    try {
      if (a.command == "provide") {
        const std::string patient = "BP" + std::to_string(serial % static_cast<uint64_t>(a.patients)) +
                                    "^^^&" + a.domain + "&ISO";
        Provide p = MakeProvide(a, patient, serial);
        ok = Exchange(session, "POST", "/xds/repository", p.content_type, p.head, a.size, serial,
                      p.tail, &up, &down, &answer) &&
             answer.find("ResponseStatusType:Success") != std::string::npos;
        if (ok) last = p.unique_id;
      } else if (a.command == "retrieve") {
        ok = Exchange(session, "POST", "/xds/repository",
                      renkei::xds::SoapContentType(renkei::xds::kActionRetrieve), retrieve, 0, 0,
                      "", &up, &down, &answer) &&
             answer.find("ResponseStatusType:Success") != std::string::npos;
      } else if (a.command == "post") {
        ok = Exchange(session, "POST", uri.getPathEtc(), "application/octet-stream", "", a.size,
                      serial, "", &up, &down, &answer);
      } else {
        ok = Exchange(session, "GET", uri.getPathEtc(), "", "", 0, 0, "", &up, &down, &answer);
      }
    } catch (const Poco::Exception& e) {
      std::fprintf(stderr, "bench_repository: %s\n", e.displayText().c_str());
      session.reset();
    }
    lat.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
    if (!ok) {
      if (++failures <= 3) std::fprintf(stderr, "bench_repository: failed: %.600s\n", answer.c_str());
    }
  }
  std::lock_guard<std::mutex> lock(totals->mu);
  totals->latencies_us.insert(totals->latencies_us.end(), lat.begin(), lat.end());
  totals->failures += failures;
  totals->up += up;
  totals->down += down;
  if (!last.empty()) totals->last_unique_id = last;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!Parse(argc, argv, &a) ||
      (a.command != "provide" && a.command != "retrieve" && a.command != "post" &&
       a.command != "get") ||
      (a.command == "provide" && a.domain.empty()) ||
      (a.command == "retrieve" && (a.repository.empty() || a.unique_id.empty()))) {
    std::fprintf(stderr, "usage: see the header of bench/repository/bench_repository.cc\n");
    return 2;
  }
  Totals totals;
  std::atomic<long> remaining{a.count};
  const auto t0 = Clock::now();
  const auto end = t0 + std::chrono::microseconds(static_cast<int64_t>(a.seconds * 1e6));
  std::vector<std::thread> threads;
  for (int i = 0; i < a.connections; ++i) {
    threads.emplace_back(Worker, std::cref(a), i, end, &remaining, &totals);
  }
  for (std::thread& t : threads) t.join();
  const int64_t duration_us =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  std::vector<int64_t>& l = totals.latencies_us;
  std::sort(l.begin(), l.end());
  auto pct = [&](double p) { return l.empty() ? 0 : l[std::min(l.size() - 1, size_t(p * l.size()))]; };
  std::printf("RESULT requests=%zu duration_us=%lld p50_us=%lld p99_us=%lld failures=%ld "
              "bytes_up=%llu bytes_down=%llu\n",
              l.size(), static_cast<long long>(duration_us), static_cast<long long>(pct(0.5)),
              static_cast<long long>(pct(0.99)), totals.failures,
              static_cast<unsigned long long>(totals.up),
              static_cast<unsigned long long>(totals.down));
  if (!totals.last_unique_id.empty()) std::printf("unique_id=%s\n", totals.last_unique_id.c_str());
  return 0;
}
