{
  "targets": [
    {
      "target_name": "bsdsock",
      "sources": [
        "native/addon.cc",
        "native/constants.cc",
        "native/layouts.cc",
        "native/poller.cc",
        "native/resolver.cc",
        "native/sys_unix.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["OS!='linux'", { "sources!": [] }]
      ]
    }
  ]
}
