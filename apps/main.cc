// renkei: one executable, one subcommand per role (architecture §1, §9).
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::printf("usage: renkei <centre|demo|config> ...\n");
    return argc < 2 ? 2 : 0;
  }
  std::fprintf(stderr, "renkei: unknown subcommand '%s'\n", argv[1]);
  return 2;
}
