using BenchmarkDotNet.Attributes;
using Bulwark.Matching.Hashing;
using Bulwark.Matching.Index;

namespace Bulwark.Benchmarks.Index;

/// <summary>
/// Threshold-31 queries: multi-index search vs the flat scan baseline, over uniformly random hashes with near
/// duplicates planted for half the queries. 1M entries keeps a run short on a shared 2-core machine; for the
/// 10M-entry latency/throughput/build/memory figures use <see cref="PdqIndexScale"/>.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*PdqIndexBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class PdqIndexBenchmarks
{
    private const int Queries = 64;
    private PdqIndex _index = null!;
    private PdqHash[] _queries = [];
    private readonly List<PdqMatch> _results = new(4096);

    [Params(1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (_index, _queries) = PdqIndexScale.Dataset(N, Queries, seed: 1);

    [Benchmark(Baseline = true, OperationsPerInvoke = Queries)]
    public int FlatScan()
    {
        var found = 0;
        foreach (var q in _queries)
        {
            _results.Clear();
            _index.ScanAll(q, 31, _results);
            found += _results.Count;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MultiIndex()
    {
        var found = 0;
        foreach (var q in _queries)
        {
            _results.Clear();
            _index.Search(q, 31, _results);
            found += _results.Count;
        }
        return found;
    }
}
