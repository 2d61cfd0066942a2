using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Bulwark.Matching.Hashing;
using Bulwark.Matching.Index;

namespace Bulwark.Benchmarks.Index;

/// <summary>
/// Console-style scale test wrapped as a benchmark so it runs through the switcher: build time, memory, single-query
/// latency percentiles on one thread and throughput on all cores, per layout on the same data, printed from GlobalSetup.
/// Run (N from BULWARK_PDQ_N, default 1,000,000):
///   BULWARK_PDQ_N=10000000 dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*PdqIndexScale*' --job dry
/// </summary>
public class PdqIndexScale
{
    [GlobalSetup]
    public void Setup()
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable("BULWARK_PDQ_N"), out var v) ? v : 1_000_000;
        foreach (var line in Run(n, queries: 2000)) Console.WriteLine("// " + line);
    }

    [Benchmark]
    public int Nothing() => 0;

    /// <summary>Uniform random hashes; every second query has neighbours planted at 0–31 bits.</summary>
    public static (PdqIndex Index, PdqHash[] Queries) Dataset(int n, int queries, int seed)
    {
        var rng = new Random(seed);
        var hashes = new PdqHash[n];
        for (var i = 0; i < n; i++) hashes[i] = Random(rng);
        var qs = new PdqHash[queries];
        for (var i = 0; i < queries; i++)
        {
            qs[i] = Random(rng);
            if (i % 2 != 0) continue;
            for (var k = 0; k < 4; k++) hashes[rng.Next(n)] = Flip(qs[i], rng.Next(32), rng);
        }
        return (PdqIndex.Build(hashes), qs);
    }

    public static IEnumerable<string> Run(int n, int queries)
    {
        var rng = new Random(2);
        var hashes = new PdqHash[n];
        for (var i = 0; i < n; i++) hashes[i] = Random(rng);
        var qs = new PdqHash[queries];
        for (var i = 0; i < queries; i++)
        {
            qs[i] = Random(rng);
            if (i % 2 != 0) continue;
            for (var k = 0; k < 4; k++) hashes[rng.Next(n)] = Flip(qs[i], rng.Next(32), rng);
        }
        yield return $"N={n:N0} entries, {queries:N0} queries (half with 4 neighbours planted at 0–31 bits), threshold 31";

        // The default (packed) large layout beside the previous one (wide) and the 16-table layout alone: same data, same
        // run, and all must return the same matches. BULWARK_PDQ_LAYOUTS=packed,wide,16 picks a subset and the order.
        var picked = (Environment.GetEnvironmentVariable("BULWARK_PDQ_LAYOUTS") ?? "packed,wide,16").Split(',');
        var layouts = new (string Name, string Key, int Minimum, LargeSegmentLayout Large)[]
        {
            ("packed (default)", "packed", PdqIndex.DefaultWideSegmentMinimum, LargeSegmentLayout.Packed),
            ("wide (previous)", "wide", PdqIndex.DefaultWideSegmentMinimum, LargeSegmentLayout.Wide),
            ("16-table only", "16", int.MaxValue, LargeSegmentLayout.Packed),
            ("packed at any size", "packed-any", 1, LargeSegmentLayout.Packed),
            // Not in the default list: grown one Add at a time (as the service loads a bank), so the hash array has grown
            // by doubling and the newest entries sit in 16-table segments and the tail.
            ("packed, grown by Add", "added", -1, LargeSegmentLayout.Packed),
            ("packed, one AddRange into an empty index", "added-range", -2, LargeSegmentLayout.Packed),
        };
        long? expected = null;
        var flatDone = false; // the flat scan and the snapshot are measured once, on the first layout
        foreach (var layout in picked.Select(k => layouts.Single(l => l.Key == k)))
        {
            var lines = new List<string>();
            var found = Measure(hashes, qs, layout.Name, layout.Minimum, layout.Large, lines, first: !flatDone);
            flatDone = true;
            foreach (var line in lines) yield return line;
            if (expected is { } e && e != found) throw new InvalidOperationException($"layouts disagree: {e} vs {found} matches");
            expected = found;
        }
    }

    private static long Measure(PdqHash[] hashes, PdqHash[] qs, string name, int minimum, LargeSegmentLayout large, List<string> lines, bool first)
    {
        var n = hashes.Length;
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var sw = Stopwatch.StartNew();
        PdqIndex index;
        if (minimum >= 0) index = PdqIndex.Build(hashes, minimum, large);
        else
        {
            index = PdqIndex.Create(PdqIndex.DefaultWideSegmentMinimum, large);
            if (minimum == -2) index.AddRange(hashes);
            else foreach (var h in hashes) index.Add(h);
        }
        var build = sw.Elapsed;
        var memory = GC.GetTotalMemory(true) - before;
        lines.Add($"[{name}] build {build.TotalSeconds:F1} s; managed memory {memory / 1e6:F0} MB ({(double)memory / n:F1} B/entry, of which 32 are the hashes); {index.WideSegmentCount} large of {index.SegmentCount} segments");

        var results = new List<PdqMatch>(4096);
        foreach (var q in qs.Take(100)) { results.Clear(); index.Search(q, 31, results); }
        var lat = new double[qs.Length];
        long found = 0;
        for (var i = 0; i < qs.Length; i++)
        {
            results.Clear();
            var t = Stopwatch.GetTimestamp();
            index.Search(qs[i], 31, results);
            lat[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            found += results.Count;
        }
        Array.Sort(lat);
        lines.Add($"[{name}] 1 thread: median {lat[lat.Length / 2]:F3} ms, p99 {lat[(int)(lat.Length * 0.99)]:F3} ms, max {lat[^1]:F3} ms; {found} matches");

        var threads = Environment.ProcessorCount;
        var wall = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var local = new List<PdqMatch>(4096);
            for (var i = t; i < qs.Length; i += threads) { local.Clear(); index.Search(qs[i], 31, local); }
        });
        lines.Add($"[{name}] {threads} threads: {qs.Length / wall.Elapsed.TotalSeconds:F0} lookups/s");

        if (first)
        {
            // Snapshot round trip through a temporary file: loading validates every table and checks the SHA-256.
            var path = Path.Combine(Path.GetTempPath(), $"bulwark-pdq-scale-{Environment.ProcessId}.snapshot");
            try
            {
                var save = Stopwatch.StartNew();
                using (var file = File.Create(path)) index.Save(file);
                var saved = save.Elapsed;
                var load = Stopwatch.StartNew();
                PdqIndex loaded;
                using (var file = File.OpenRead(path)) loaded = PdqIndex.Load(file);
                lines.Add($"[{name}] snapshot {new FileInfo(path).Length / 1e6:F0} MB: save {saved.TotalSeconds:F1} s, load (validated) {load.Elapsed.TotalSeconds:F1} s; {loaded.TotalEntries:N0} entries");
            }
            finally
            {
                File.Delete(path);
            }

            var flat = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++) { results.Clear(); index.ScanAll(qs[i], 31, results); }
            lines.Add($"flat scan baseline: {flat.Elapsed.TotalMilliseconds / 20:F2} ms/query");
        }
        return found;
    }

    private static PdqHash Random(Random rng) => new((ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63),
        (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63), (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63), (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63));

    private static PdqHash Flip(PdqHash h, int bits, Random rng)
    {
        Span<ulong> w = [h.W0, h.W1, h.W2, h.W3];
        var flipped = new HashSet<int>();
        while (flipped.Count < bits) flipped.Add(rng.Next(256));
        foreach (var b in flipped) w[b >> 6] ^= 1UL << (b & 63);
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }
}
