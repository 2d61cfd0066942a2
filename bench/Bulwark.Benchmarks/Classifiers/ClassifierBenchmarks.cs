using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core.Signals.Classifiers;

namespace Bulwark.Benchmarks.Classifiers;

/// <summary>
/// The shipped text classifier (all three heads) against its bag-of-words baseline on 1,000 texts of about 200 characters,
/// one thread; texts/s per core = 1,000 / mean. Also 1,000 texts that name protected groups with praise and negations (the
/// stance gate's worst case), and the cold model load (embedded files, SHA-256 check, parse).
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*ClassifierBenchmarks*'
/// With BULWARK_BENCH_PREVIOUS_MODEL set to a model folder (e.g. the previous version, trained with `classifier train`),
/// <see cref="PreviousModel"/> scores the same texts with it in the same run; unset, it repeats the shipped model.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class ClassifierBenchmarks
{
    private string[] _texts = [];
    private string[] _groupTexts = [];
    private LinearTextModel _model = null!;
    private LinearTextModel _baseline = null!;
    private LinearTextModel _previous = null!;
    private readonly double[] _p = new double[3];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] words =
        [
            "video", "today", "amazing", "news", "city", "match", "school", "tomorrow", "kill", "going", "the", "to", "we", "will",
            "oggi", "domani", "partita", "scuola", "ciao", "bella", "\"quote\"", "don't", "never", "h4te", "people", "all", "#live",
        ];
        _texts = Enumerable.Range(0, 1000).Select(_ =>
        {
            var sb = new System.Text.StringBuilder();
            while (sb.Length < 200) sb.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ". " : " ");
            return sb.ToString(0, 200);
        }).ToArray();
        // Texts that name protected groups with praise and negations, so the target class, the stance and the hate head's
        // stance gate (with its second, strict stance pass) all run: the gate's worst case.
        string[] groupWords =
        [
            "muslims", "immigrants", "women", "gay", "jews", "are", "not", "never", "wonderful", "kind", "neighbours", "disgusting",
            "don't", "hate", "nothing", "but", "great", "people", "gli", "immigrati", "non", "sono", "feccia", "splendide", "the", "we",
        ];
        _groupTexts = Enumerable.Range(0, 1000).Select(_ =>
        {
            var sb = new System.Text.StringBuilder();
            while (sb.Length < 200) sb.Append(groupWords[random.Next(groupWords.Length)]).Append(random.Next(8) == 0 ? ". " : " ");
            return sb.ToString(0, 200);
        }).ToArray();
        _model = LinearTextModel.LoadDefault();
        _baseline = LinearTextModel.LoadDefaultBaseline();
        _previous = Environment.GetEnvironmentVariable("BULWARK_BENCH_PREVIOUS_MODEL") is { Length: > 0 } dir ? LinearTextModel.Load(dir) : _model;
        Console.WriteLine($"// previous model: {_previous.Manifest.Id}@{_previous.Manifest.Version}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public double BagOfWordsBaseline()
    {
        double sum = 0;
        foreach (var t in _texts) { _baseline.Score(t, _p); sum += _p[0]; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double Model()
    {
        double sum = 0;
        foreach (var t in _texts) { _model.Score(t, _p); sum += _p[0]; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double PreviousModel()
    {
        double sum = 0;
        foreach (var t in _texts) { _previous.Score(t, _p); sum += _p[0]; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double ModelOnGroupTexts()
    {
        double sum = 0;
        foreach (var t in _groupTexts) { _model.Score(t, _p); sum += _p[2]; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double PreviousModelOnGroupTexts()
    {
        double sum = 0;
        foreach (var t in _groupTexts) { _previous.Score(t, _p); sum += _p[2]; }
        return sum;
    }

    [Benchmark]
    public LinearTextModel LoadModel() => LinearTextModel.LoadDefault();
}
