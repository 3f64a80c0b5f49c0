# Build of the Argus native MCAP parser.
# zstd and lz4 are compiled from the C sources shipped inside the zstd-napi and
# lz4 npm packages, so a fresh machine needs no libzstd-dev / liblz4-dev.
{
  "variables": {
    "zstd_lib": "<!(node -p \"require('path').relative('.', require('path').join(require('path').dirname(require.resolve('zstd-napi/package.json')), 'deps/zstd/lib'))\")",
    "lz4_lib": "<!(node -p \"require('path').relative('.', require('path').join(require('path').dirname(require.resolve('lz4/package.json')), 'deps/lz4/lib'))\")",
  },
  "target_defaults": {
    "cflags": ["-O3", "-fvisibility=hidden", "-fPIC"],
    "cflags!": ["-O2"],
  },
  "targets": [
    {
      # zstd without legacy formats or threads: the core decompresses MCAP
      # chunks, the binding compresses CSV chunks when asked (parse option
      # `compress`). The x86-64 assembly Huffman loop is disabled so the build
      # needs nothing but a C compiler (enabling it measured no gain on the
      # bench drive).
      "target_name": "argus_zstd",
      "type": "static_library",
      "defines": ["ZSTD_DISABLE_ASM", "ZSTD_LEGACY_SUPPORT=0", "XXH_NAMESPACE=ZSTD_"],
      "cflags": ["-w"],
      "include_dirs": ["<(zstd_lib)", "<(zstd_lib)/common"],
      "sources": [
        "<(zstd_lib)/common/debug.c",
        "<(zstd_lib)/common/entropy_common.c",
        "<(zstd_lib)/common/error_private.c",
        "<(zstd_lib)/common/fse_decompress.c",
        "<(zstd_lib)/common/xxhash.c",
        "<(zstd_lib)/common/zstd_common.c",
        "<(zstd_lib)/decompress/huf_decompress.c",
        "<(zstd_lib)/decompress/zstd_ddict.c",
        "<(zstd_lib)/decompress/zstd_decompress.c",
        "<(zstd_lib)/decompress/zstd_decompress_block.c",
        "<(zstd_lib)/compress/fse_compress.c",
        "<(zstd_lib)/compress/hist.c",
        "<(zstd_lib)/compress/huf_compress.c",
        "<(zstd_lib)/compress/zstd_compress.c",
        "<(zstd_lib)/compress/zstd_compress_literals.c",
        "<(zstd_lib)/compress/zstd_compress_sequences.c",
        "<(zstd_lib)/compress/zstd_compress_superblock.c",
        "<(zstd_lib)/compress/zstd_double_fast.c",
        "<(zstd_lib)/compress/zstd_fast.c",
        "<(zstd_lib)/compress/zstd_lazy.c",
        "<(zstd_lib)/compress/zstd_ldm.c",
        "<(zstd_lib)/compress/zstd_opt.c",
        "<(zstd_lib)/compress/zstd_preSplit.c",
      ],
      "direct_dependent_settings": { "include_dirs": ["<(zstd_lib)"] },
    },
    {
      "target_name": "argus_lz4",
      "type": "static_library",
      "defines": ["XXH_NAMESPACE=ARGUS_LZ4_"],
      "cflags": ["-w"],
      "include_dirs": ["<(lz4_lib)"],
      "sources": [
        "<(lz4_lib)/lz4.c",
        "<(lz4_lib)/lz4frame.c",
        "<(lz4_lib)/lz4hc.c",
        "<(lz4_lib)/xxhash.c",
      ],
      "direct_dependent_settings": { "include_dirs": ["<(lz4_lib)"], "defines": ["XXH_NAMESPACE=ARGUS_LZ4_"] },
    },
    {
      # The pure C++ core: bytes in, records and rows out. No Node headers.
      "target_name": "argus_core",
      "type": "static_library",
      "dependencies": ["argus_zstd", "argus_lz4"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-O3"],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++20", "-Wno-unused-parameter"],
      "sources": [
        "<!@(node -p \"require('fs').readdirSync('src/core').filter(f => f.endsWith('.cc')).map(f => 'src/core/' + f).join(' ')\")",
      ],
      "export_dependent_settings": ["argus_zstd", "argus_lz4"],
    },
    {
      "target_name": "argus_native",
      "dependencies": ["argus_core"],
      "sources": ["src/binding.cc", "src/chunk-compressor.cc", "src/file-batch.cc", "src/record-reader.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "src"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-O3"],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++20"],
    },
  ],
}
