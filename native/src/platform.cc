#include "platform.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <intrin.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && !defined(_WIN32)
#include <cpuid.h>
#endif

namespace fp {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) a++;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) b--;
  return s.substr(a, b - a);
}

std::string machine_name() {
#if defined(_WIN32)
  SYSTEM_INFO si;
  GetNativeSystemInfo(&si);
  switch (si.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64: return "amd64";
    case PROCESSOR_ARCHITECTURE_ARM64: return "arm64";
    case PROCESSOR_ARCHITECTURE_INTEL: return "x86";
    default: return "unknown";
  }
#else
  struct utsname u;
  if (uname(&u) != 0) return "unknown";
  return lower(u.machine);
#endif
}

std::string read_text_file(const std::string& path, bool* ok) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    if (ok) *ok = false;
    return "";
  }
  std::stringstream ss;
  ss << f.rdbuf();
  if (ok) *ok = true;
  return ss.str();
}

bool file_exists(const std::string& path) {
#if defined(_WIN32)
  return GetFileAttributesA(path.c_str()) != INVALID_FILE_ATTRIBUTES;
#else
  struct stat st;
  return stat(path.c_str(), &st) == 0;
#endif
}

void pin_current_thread() {
#if defined(__linux__)
  int cpu = sched_getcpu();
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof(set), &set);  // 0 = the calling thread
#elif defined(_WIN32)
  DWORD cpu = GetCurrentProcessorNumber();
  SetThreadAffinityMask(GetCurrentThread(), static_cast<DWORD_PTR>(1) << cpu);
#endif
}

std::string command_output(const char* const argv[]) {
#if defined(_WIN32)
  (void)argv;
  return "";
#else
  int fds[2];
  if (pipe(fds) != 0) return "";
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return "";
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 2);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], const_cast<char* const*>(argv));
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 && out.size() < 65536) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
#endif
}

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
void cpuid_count(unsigned leaf, unsigned sub, unsigned r[4]) {
#if defined(_WIN32)
  int v[4];
  __cpuidex(v, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; i++) r[i] = static_cast<unsigned>(v[i]);
#else
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}
#endif

namespace {

uint64_t parse_size(const std::string& text) {
  std::string t = trim(text);
  if (t.empty()) return 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(t.c_str(), &end, 10);
  if (end && (*end == 'K' || *end == 'k')) v *= 1024;
  else if (end && (*end == 'M' || *end == 'm')) v *= 1024 * 1024;
  return v;
}

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)

// AMD's older size leaves: 0x80000005 ECX[31:24] = L1D KiB; 0x80000006 ECX[31:16] = L2 KiB,
// EDX[31:18] = L3 in 512 KiB units.
bool amd_legacy_caches(CacheSizes& out, unsigned max_ext) {
  if (max_ext < 0x80000006u) return false;
  unsigned r[4];
  cpuid_count(0x80000005u, 0, r);
  out.l1d = static_cast<uint64_t>(r[2] >> 24) * 1024;
  cpuid_count(0x80000006u, 0, r);
  out.l2 = static_cast<uint64_t>(r[2] >> 16) * 1024;
  out.l3 = static_cast<uint64_t>(r[3] >> 18) * 512 * 1024;
  out.source = "cpuid_leaf_80000005";
  return out.l1d > 0;
}

// Deterministic cache parameters: Intel leaf 4, AMD leaf 0x8000001D (same layout).
bool cpuid_caches(CacheSizes& out) {
  unsigned r[4];
  cpuid_count(0, 0, r);
  unsigned max_leaf = r[0];
  cpuid_count(0x80000000u, 0, r);
  unsigned max_ext = r[0];
  unsigned leaf = 0;
  if (max_leaf >= 4) leaf = 4;
  // AMD reports leaf 4 as reserved (all zero); prefer its extended leaf when topology extensions exist
  if (max_ext >= 0x8000001Du) {
    unsigned t[4];
    cpuid_count(0x8000001Du, 0, t);
    if ((t[0] & 0x1f) != 0) leaf = 0x8000001Du;
  }
  if (leaf == 0) return amd_legacy_caches(out, max_ext);
  bool any = false;
  for (unsigned sub = 0; sub < 16; sub++) {
    cpuid_count(leaf, sub, r);
    unsigned type = r[0] & 0x1f;
    if (type == 0) break;
    unsigned level = (r[0] >> 5) & 0x7;
    uint64_t ways = ((r[1] >> 22) & 0x3ff) + 1, parts = ((r[1] >> 12) & 0x3ff) + 1, line = (r[1] & 0xfff) + 1,
             sets = static_cast<uint64_t>(r[2]) + 1;
    uint64_t size = ways * parts * line * sets;
    if (level == 1 && (type == 1 || type == 3)) out.l1d = size;
    else if (level == 2 && type != 2) out.l2 = size;
    else if (level == 3 && type != 2) out.l3 = size;
    any = true;
  }
  if (any) out.source = leaf == 4 ? "cpuid_leaf_4" : "cpuid_leaf_8000001d";
  return (any && out.l1d > 0) || amd_legacy_caches(out, max_ext);
}
#endif

}  // namespace

CacheSizes cache_sizes() {
  CacheSizes c;
#if defined(__linux__)
  for (int i = 0; i < 8; i++) {
    std::string base = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
    bool ok = false;
    std::string level = trim(read_text_file(base + "level", &ok));
    if (!ok) break;
    std::string type = trim(read_text_file(base + "type"));
    uint64_t size = parse_size(read_text_file(base + "size"));
    if (type == "Instruction") continue;
    if (level == "1") c.l1d = size;
    else if (level == "2") c.l2 = size;
    else if (level == "3") c.l3 = size;
  }
  if (c.l1d > 0) c.source = "sysfs";
#elif defined(__APPLE__)
  auto get = [](const char* name) -> uint64_t {
    uint64_t v = 0;
    size_t len = sizeof v;
    if (sysctlbyname(name, &v, &len, nullptr, 0) != 0) return 0;
    return len == 4 ? static_cast<uint32_t>(v) : v;
  };
  c.l1d = get("hw.perflevel0.l1dcachesize");
  if (c.l1d == 0) c.l1d = get("hw.l1dcachesize");
  c.l2 = get("hw.perflevel0.l2cachesize");
  if (c.l2 == 0) c.l2 = get("hw.l2cachesize");
  c.l3 = get("hw.l3cachesize");
  if (c.l1d > 0) c.source = "sysctl";
#elif defined(_WIN32)
  DWORD len = 0;
  GetLogicalProcessorInformationEx(RelationCache, nullptr, &len);
  std::vector<char> buf(len);
  if (len > 0 && GetLogicalProcessorInformationEx(RelationCache, reinterpret_cast<PSYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX>(buf.data()), &len)) {
    for (DWORD off = 0; off < len;) {
      auto* info = reinterpret_cast<PSYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX>(buf.data() + off);
      const CACHE_RELATIONSHIP& cr = info->Cache;
      if (cr.Type != CacheInstruction) {
        if (cr.Level == 1 && c.l1d == 0) c.l1d = cr.CacheSize;
        if (cr.Level == 2 && c.l2 == 0) c.l2 = cr.CacheSize;
        if (cr.Level == 3 && c.l3 == 0) c.l3 = cr.CacheSize;
      }
      off += info->Size;
    }
    if (c.l1d > 0) c.source = "GetLogicalProcessorInformationEx";
  }
#endif
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
  if (c.l1d == 0) {
    CacheSizes x;
    if (cpuid_caches(x)) c = x;
  }
#endif
  if (c.l1d == 0) {
    c.l1d = 16 * 1024;
    c.l2 = 256 * 1024;
    c.l3 = 8 * 1024 * 1024;
    c.source = "default";
  }
  if (c.l2 == 0) c.l2 = c.l1d * 16;
  return c;
}

unsigned chase_line_bytes() {
#if defined(__APPLE__) && defined(__aarch64__)
  return 128;
#else
  return 64;
#endif
}

}  // namespace fp
