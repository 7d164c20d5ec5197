// OS facts the checks need: machine name, file reads, thread pinning, cache sizes, command output.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace fp {

// Lower-cased `platform.machine()` equivalent (D.3): uname -m, or AMD64/ARM64/x86 on Windows.
std::string machine_name();
// Whole file as text ("" when unreadable); `ok` says whether it could be read.
std::string read_text_file(const std::string& path, bool* ok = nullptr);
bool file_exists(const std::string& path);
// Pins the calling thread to the core it is running on (Linux, Windows); no-op elsewhere.
void pin_current_thread();
// stdout of a command run without a shell where possible; "" on failure. Never a network tool.
std::string command_output(const char* const argv[]);

struct CacheSizes {
  uint64_t l1d = 0, l2 = 0, l3 = 0;
  std::string source;  // where the sizes came from
};
CacheSizes cache_sizes();
// Bytes per cache line used for the pointer chase (128 on Apple Silicon, else 64).
unsigned chase_line_bytes();

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
// CPUID leaf/sub-leaf into r = {eax, ebx, ecx, edx}.
void cpuid_count(unsigned leaf, unsigned sub, unsigned r[4]);
#endif

std::string lower(std::string s);
std::string trim(const std::string& s);

}  // namespace fp
