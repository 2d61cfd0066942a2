#!/usr/bin/env bash
# Where a running process's resident memory is: /proc/PID/smaps summed by mapping (anonymous memory, the GC heap's
# regions among it, versus each mapped file: assemblies, native libraries, SQLite's database and WAL), largest first.
# Usage: bench/scripts/rss-breakdown.sh PID [rows]
# The .NET GC heap is anonymous memory; to tell it from native allocations (SQLite's page cache, ONNX Runtime), compare the
# anonymous total with the GC's own figures (`dotnet.gc.last_collection.heap.size` and `dotnet.gc.last_collection.memory.committed_size`
# on the server's /metrics).
set -euo pipefail
pid=$1; rows=${2:-15}
awk -v rows="$rows" '
  /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]"; for (i = 7; i <= NF; i++) name = name " " $i; next }
  /^Rss:/ { rss[name] += $2; total += $2 }
  /^Anonymous:/ { anon += $2 }
  END {
    printf "total RSS %.1f MiB, of which anonymous %.1f MiB\n", total / 1024, anon / 1024
    n = 0; for (k in rss) { keys[n++] = k }
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (rss[keys[j]] > rss[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
    for (i = 0; i < n && i < rows; i++) printf "%9.1f MiB  %s\n", rss[keys[i]] / 1024, keys[i]
  }' "/proc/$pid/smaps"
