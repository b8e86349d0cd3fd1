{
  "targets": [
    {
      "target_name": "manycore_shm",
      "sources": ["shm.cc"],
      "cflags_cc": ["-std=gnu++17", "-O2"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS=='linux'", { "libraries": ["-lrt"] }]]
    },
    {
      "target_name": "manycore_shared_buffer",
      "sources": ["shared-buffer.cc"],
      # No -std here: V8's headers need the C++ standard their Node was built with, which the
      # headers' common.gypi sets (gnu++17 for Node 20, gnu++20 for Node 24).
      "cflags_cc": ["-O2", "-Wno-cast-function-type"],
      "conditions": [["OS=='linux'", { "libraries": ["-lrt", "-lpthread"] }]]
    }
  ]
}
