// PIX Manager benchmark helper (bench/pix/run.sh drives it; see bench/README.md). Prints
// figures, asserts nothing.
//
//   bench_pix load --data-dir D --patients N     N patients with a hospital-A and a
//                                                hospital-B identifier each, fed straight
//                                                into D/identities.sqlite (one transaction
//                                                per feed, as ITI-8 does)
//   bench_pix sources --patients N --out F       the PIXm sourceIdentifier of each (URL-encoded)
//   bench_pix feed --port P --messages M --connections C --first K
//                                                ITI-8 ADT^A01 over MLLP, C persistent
//                                                connections, patients K.. K+M-1; prints msgs/s
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pix/mllp.h"
#include "pix/sqlite_identity_store.h"

namespace {

using Clock = std::chrono::steady_clock;
using Flags = std::map<std::string, std::string>;

// Example arcs (2.999): no real domain is impersonated.
constexpr char kRegion[] = "2.999.392.55.1";
constexpr char kHospA[] = "2.999.392.55.10";
constexpr char kHospB[] = "2.999.392.55.20";

int Usage() {
  std::fprintf(stderr,
               "usage:\n"
               "  bench_pix load --data-dir D --patients N\n"
               "  bench_pix sources --patients N --out F\n"
               "  bench_pix feed --port P --messages M --connections C --first K\n");
  return 2;
}

long long Int(const Flags& f, const std::string& k, long long def) {
  auto it = f.find(k);
  return it == f.end() ? def : std::stoll(it->second);
}

std::string LocalA(long long p) { return "A" + std::to_string(1000000000LL + p); }
std::string LocalB(long long p) { return "B" + std::to_string(1000000000LL + p); }

const char* const kFamilies[] = {"山田", "鈴木", "佐藤", "田中", "高橋", "伊藤", "渡辺", "中村"};
const char* const kGivens[] = {"太郎", "花子", "一郎", "美咲", "健太", "陽子", "翔", "葵"};

renkei::pix::PatientFeed FeedFor(long long p) {
  renkei::pix::PatientFeed f;
  f.event = "A01";
  f.identifiers = {{LocalA(p), "", kHospA, ""}, {LocalB(p), "", kHospB, ""}};
  f.names = {{kFamilies[p % 8], kGivens[(p / 8) % 8], "", "L", "I"}};
  f.birth_date = std::to_string(1930 + p % 80) + "0101";
  f.sex = p % 2 ? "F" : "M";
  return f;
}

int Load(const Flags& f) {
  auto dir = f.find("data-dir");
  if (dir == f.end()) return Usage();
  const long long n = Int(f, "patients", 1000000);
  renkei::pix::SqliteIdentityStore::Options o;
  o.regional_oid = kRegion;
  auto store = renkei::pix::SqliteIdentityStore::Open(dir->second + "/identities.sqlite", o);
  if (!store.ok()) {
    std::fprintf(stderr, "bench_pix: %s\n", store.status().ToString().c_str());
    return 1;
  }
  const auto t0 = Clock::now();
  for (long long p = 0; p < n; ++p) {
    auto r = (*store)->Feed(FeedFor(p));
    if (!r.ok()) {
      std::fprintf(stderr, "bench_pix: feed %lld: %s\n", p, r.status().ToString().c_str());
      return 1;
    }
    if ((p + 1) % 100000 == 0) std::fprintf(stderr, "  fed %lld patients\n", p + 1);
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("load patients=%lld seconds=%.1f feeds_per_s=%.0f region=%s hosp_a=%s hosp_b=%s\n",
              n, s, n / s, kRegion, kHospA, kHospB);
  return 0;
}

int Sources(const Flags& f) {
  auto out = f.find("out");
  if (out == f.end()) return Usage();
  std::ofstream o(out->second, std::ios::binary | std::ios::trunc);
  const long long n = Int(f, "patients", 1000000);
  for (long long p = 0; p < n; ++p) {
    o << "urn%3Aoid%3A" << kHospA << "%7C" << LocalA(p) << "\n";
  }
  return o ? 0 : 1;
}

std::string Adt(long long p, long long serial) {
  const renkei::pix::PatientFeed f = FeedFor(p);
  return "MSH|^~\\&|EMR|HOSP_A|RENKEI|CENTRE|20261125100000||ADT^A01^ADT_A01|F" +
         std::to_string(serial) + "|P|2.5||||||UNICODE UTF-8\rEVN|A01|20261125100000\rPID|1||" +
         LocalA(p) + "^^^&" + kHospA + "&ISO~" + LocalB(p) + "^^^&" + kHospB + "&ISO||" +
         f.names[0].family + "^" + f.names[0].given + "^^^^^L^I||" + f.birth_date + "|" + f.sex +
         "\rPV1|1|O\r";
}

int Feed(const Flags& f) {
  const int port = static_cast<int>(Int(f, "port", 0));
  const long long messages = Int(f, "messages", 10000);
  const int conns = static_cast<int>(Int(f, "connections", 1));
  const long long first = Int(f, "first", 10000000);
  if (port <= 0 || conns < 1) return Usage();
  std::atomic<long long> next{0}, accepted{0}, rejected{0};
  std::vector<double> latencies_us;
  std::mutex mu;
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < conns; ++c) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      try {
        Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
        s.setReceiveTimeout(Poco::Timespan(30, 0));
        renkei::mllp::MllpFramer framer(1 << 20);
        std::vector<std::string> replies;
        char buf[8192];
        for (long long i; (i = next++) < messages;) {
          const std::string frame = renkei::mllp::Frame(Adt(first + i, i));
          const auto r0 = Clock::now();
          for (size_t sent = 0; sent < frame.size();) {
            sent += static_cast<size_t>(s.sendBytes(frame.data() + sent, static_cast<int>(frame.size() - sent)));
          }
          replies.clear();
          while (replies.empty()) {
            const int n = s.receiveBytes(buf, sizeof buf);
            if (n <= 0) throw std::runtime_error("closed");
            if (!framer.Feed(std::string_view(buf, static_cast<size_t>(n)), &replies).ok()) {
              throw std::runtime_error("bad frame");
            }
          }
          mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - r0).count());
          (replies[0].find("\rMSA|AA|") != std::string::npos ? accepted : rejected)++;
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_pix feed: %s\n", e.what());
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(latencies_us.begin(), latencies_us.end());
  auto pct = [&](double q) {
    return latencies_us.empty() ? 0.0 : latencies_us[std::min(latencies_us.size() - 1,
                                                              static_cast<size_t>(q * latencies_us.size()))];
  };
  std::printf("feed connections=%d messages=%lld accepted=%lld rejected=%lld seconds=%.2f "
              "msgs_per_s=%.0f p50_ms=%.2f p99_ms=%.2f\n",
              conns, static_cast<long long>(latencies_us.size()), accepted.load(), rejected.load(), s,
              latencies_us.size() / s, pct(0.5) / 1000, pct(0.99) / 1000);
  return rejected.load() == 0 && accepted.load() == messages ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  Flags flags;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) return Usage();
    flags[k.substr(2)] = argv[i + 1];
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "load") return Load(flags);
    if (cmd == "sources") return Sources(flags);
    if (cmd == "feed") return Feed(flags);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_pix: %s\n", e.what());
    return 2;
  }
  return Usage();
}
