// bench_tls: the cost of mutual TLS (issue 5, architecture §5/§8: FindDocuments over mutual TLS
// with keep-alive >= 70 % of the plain run). One keep-alive connection per thread POSTs
// ITI-18 requests built from a template (@VALUE@ replaced by a random line of a values file)
// for a fixed time, plain HTTP or HTTPS with a client certificate, the same client code both
// ways; every answer is checked (HTTP 200 and ResponseStatusType:Success). Prints one line:
//   requests=N seconds=S qps=Q p50_ms=A p99_ms=B failures=F bytes=AVG
// A benchmark: prints figures, asserts none.
//
//   bench_tls --url URL --template FILE --values FILE [--connections 16] [--seconds 8]
//             [--cert PEM --key PEM --ca PEM]
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Result {
  std::vector<double> latencies_ms;
  long failures = 0;
  long long bytes = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> f;
  for (int i = 1; i + 1 < argc; i += 2) f[std::string(argv[i]).substr(2)] = argv[i + 1];
  if (!f.count("url") || !f.count("template") || !f.count("values")) {
    std::fprintf(stderr, "usage: bench_tls --url URL --template FILE --values FILE "
                         "[--connections N] [--seconds S] [--cert PEM --key PEM --ca PEM]\n");
    return 2;
  }
  const Poco::URI uri(f["url"]);
  const std::string tpl = ReadFile(f["template"]);
  std::vector<std::string> values;
  {
    std::ifstream in(f["values"]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) values.push_back(line);
    }
  }
  const int connections = f.count("connections") ? std::stoi(f["connections"]) : 16;
  const int seconds = f.count("seconds") ? std::stoi(f["seconds"]) : 8;
  const size_t at = tpl.find("@VALUE@");
  if (values.empty() || at == std::string::npos) {
    std::fprintf(stderr, "bench_tls: no values, or no @VALUE@ in the template\n");
    return 2;
  }
  Poco::Net::Context::Ptr ctx;
  if (uri.getScheme() == "https") {
    ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, f["key"], f["cert"], f["ca"],
                                 Poco::Net::Context::VERIFY_RELAXED);
  }
  std::vector<Result> results(static_cast<size_t>(connections));
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      Result& r = results[static_cast<size_t>(t)];
      std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 17u);
      std::unique_ptr<Poco::Net::HTTPClientSession> s;
      if (ctx) {
        s = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), ctx);
      } else {
        s = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      }
      s->setKeepAlive(true);
      s->setTimeout(Poco::Timespan(30, 0));
      std::string answer;
      while (!stop.load(std::memory_order_relaxed)) {
        const std::string& v = values[rng() % values.size()];
        const std::string body = tpl.substr(0, at) + v + tpl.substr(at + 7);
        const auto start = std::chrono::steady_clock::now();
        try {
          Poco::Net::HTTPRequest req("POST", uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
          req.setKeepAlive(true);
          req.setContentType("application/soap+xml; charset=UTF-8");
          req.setContentLength64(static_cast<Poco::Int64>(body.size()));
          s->sendRequest(req) << body;
          Poco::Net::HTTPResponse resp;
          std::istream& in = s->receiveResponse(resp);
          answer.clear();
          Poco::StreamCopier::copyToString(in, answer);
          if (resp.getStatus() != 200 ||
              answer.find("ResponseStatusType:Success") == std::string::npos) {
            ++r.failures;
          }
          r.bytes += static_cast<long long>(answer.size());
        } catch (const Poco::Exception&) {
          ++r.failures;
          s->reset();
        }
        r.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
      }
    });
  }
  const auto begin = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::vector<double> all;
  long failures = 0;
  long long bytes = 0;
  for (const Result& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    failures += r.failures;
    bytes += r.bytes;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  std::printf("requests=%zu seconds=%.1f qps=%.0f p50_ms=%.2f p99_ms=%.2f failures=%ld bytes=%lld\n",
              all.size(), elapsed, all.size() / elapsed, pct(0.50), pct(0.99), failures,
              all.empty() ? 0LL : bytes / static_cast<long long>(all.size()));
  return 0;
}
