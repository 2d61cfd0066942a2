using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bulwark.Core.Signals.Classifiers;

namespace Bulwark.Benchmarks.Classifiers;

/// <summary>
/// Featurising with the shipped settings, finished with the radix sort of the raw feature indices against the previous
/// <see cref="Array.Sort{T}(T[], int, int)"/> (the baseline), on the 1,000 texts of about 200 characters of
/// <see cref="ClassifierBenchmarks"/> and on 100 texts of about 2,000 characters; per text. The vectors are identical
/// (FeaturizerSortProperties). Run:
/// dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*FeaturizerSortBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcess))]
public class FeaturizerSortBenchmarks
{
    /// <summary>In process: BenchmarkDotNet's generated project does not build within its timeout on the shared machine.</summary>
    private sealed class InProcess : ManualConfig
    {
        public InProcess() => AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    private string[] _texts = [];
    private string[] _long = [];
    private readonly TextFeaturizer _featurizer = new(FeatureOptions.Shipped);
    private readonly TextFeaturizer.Vector _vector = new();

    [GlobalSetup]
    public void Setup()
    {
        string[] words =
        [
            "video", "today", "amazing", "news", "city", "match", "school", "tomorrow", "kill", "going", "the", "to", "we", "will",
            "oggi", "domani", "partita", "scuola", "ciao", "bella", "\"quote\"", "don't", "never", "h4te", "people", "all", "#live",
        ];
        _texts = ClassifierBenchmarks.Generate(words, new Random(42));
        _long = Enumerable.Range(0, 100).Select(i => string.Join(' ', _texts.Skip(i * 10).Take(10))).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public int ArraySort() => Run(_texts, true);

    [Benchmark(OperationsPerInvoke = 1000)]
    public int RadixSort() => Run(_texts, false);

    [Benchmark(OperationsPerInvoke = 100)]
    public int ArraySortLong() => Run(_long, true);

    [Benchmark(OperationsPerInvoke = 100)]
    public int RadixSortLong() => Run(_long, false);

    private int Run(string[] texts, bool reference)
    {
        var n = 0;
        foreach (var t in texts)
        {
            if (reference) FeaturizeWithArraySort(t);
            else _featurizer.Featurize(t, _vector);
            n += _vector.Count;
        }
        return n;
    }

    /// <summary>The baseline: the same raw indices finished with <see cref="Array.Sort{T}(T[], int, int)"/> (the test project's
    /// <c>FeaturizerReference</c>, which the property tests prove equal to the radix sort's result).</summary>
    private void FeaturizeWithArraySort(string text)
    {
        _featurizer.FeaturizeUnfinished(text, _vector);
        if (_vector.RawCount == 0) return;
        Array.Sort(_vector.Raw, 0, _vector.RawCount);
        TextFeaturizer.RunLengths(_vector, _vector.Raw);
    }
}
