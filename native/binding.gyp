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
      "cflags_cc": ["-std=gnu++17", "-O2", "-Wno-cast-function-type"],
      "conditions": [["OS=='linux'", { "libraries": ["-lrt", "-lpthread"] }]]
    }
  ]
}
