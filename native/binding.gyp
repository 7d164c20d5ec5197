{
  "targets": [
    {
      "target_name": "rustchain_fingerprint",
      "sources": [
        "src/addon.cc",
        "src/measure_worker.cc",
        "src/check_clock_drift.cc",
        "src/check_cache_timing.cc",
        "src/check_simd_identity.cc",
        "src/check_thermal_drift.cc",
        "src/check_instruction_jitter.cc",
        "src/check_anti_emulation.cc",
        "src/platform.cc",
        "src/sha256.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-O2", "-fno-strict-aliasing"],
      "cflags_cc!": ["-fno-exceptions"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_OPTIMIZATION_LEVEL": "2",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17", "/O2"] }
      },
      "conditions": [
        ["OS=='win'", { "libraries": ["-ladvapi32.lib"] }]
      ]
    }
  ]
}
