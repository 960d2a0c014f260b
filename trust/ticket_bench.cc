// IUA-style access tickets benchmark (issue 5 "Proof": ticket issue and verify per second).
// Prints figures, asserts nothing; not a test.
//
//   bench_tickets [--tickets N] [--threads T]
//       signs N tickets and verifies N tickets, on 1 thread and on T threads (default
//       N = 20000, T = 2); prints tickets/s for each.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "trust/access_ticket.h"

namespace {

using Clock = std::chrono::steady_clock;
using renkei::trust::AccessTicket;
using renkei::trust::TicketSigner;
using renkei::trust::TicketVerifier;

AccessTicket Ticket(int64_t now) {
  AccessTicket t;
  t.issuer = "https://centre.example.jp";
  t.requester = "2.999.392.55.10";
  t.audience = "2.999.392.55.20";
  t.issued_at = now;
  t.holder_thumbprint = "k8iM0E1ReTgj9HTta8ukNLaP99FjyKrq4bQKPhgTtIY";
  t.patient = "P0001^^^&2.999.392.55.1&ISO";
  t.documents = {"2.999.392.55.20.1.7", "2.999.392.55.20.1.8"};
  t.repositories = {"2.999.392.55.20.5"};
  return t;
}

// Runs fn(i) for i in [0, n) on `threads` threads; returns operations per second.
template <typename Fn>
double PerSecond(int n, int threads, Fn fn) {
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = t; i < n; i += threads) fn(i);
    });
  }
  for (auto& th : pool) th.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return n / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 20000;
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--tickets") {
      n = std::atoi(argv[i + 1]);
    } else if (a == "--threads") {
      threads = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "usage: bench_tickets [--tickets N] [--threads T]\n");
      return 2;
    }
  }
  if (n < 1 || threads < 1) return 2;
  auto key = renkei::trust::GenerateTicketKeyPem();
  auto signer = TicketSigner::Create(key.value());
  renkei::trust::VerifierOptions options;
  options.audience = "2.999.392.55.20";
  auto verifier = TicketVerifier::Create({signer->public_key_pem()}, options);
  if (!signer.ok() || !verifier.ok()) return 1;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const std::string token = signer->Issue(Ticket(now)).value();
  const std::string holder = Ticket(now).holder_thumbprint;
  std::vector<int> failures(n, 0);

  for (int t : {1, threads}) {
    double issue =
        PerSecond(n, t, [&](int i) { failures[i] |= signer->Issue(Ticket(now)).ok() ? 0 : 1; });
    double verify = PerSecond(
        n, t, [&](int i) { failures[i] |= verifier->Verify(token, holder, now).ok() ? 0 : 2; });
    std::printf("threads %d: issue %.0f tickets/s, verify %.0f tickets/s\n", t, issue, verify);
    if (t == threads) break;
  }
  int failed = 0;
  for (int f : failures) failed += f != 0;
  if (failed != 0) std::printf("FAILED operations: %d\n", failed);
  return failed == 0 ? 0 : 1;
}
