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
        _texts = Generate(words, random);
        // Texts that name protected groups with praise and negations, so the target class, the stance and the hate head's
        // stance gate (with its second, strict stance pass) all run: the gate's worst case.
        string[] groupWords =
        [
            "muslims", "immigrants", "women", "gay", "jews", "are", "not", "never", "wonderful", "kind", "neighbours", "disgusting",
            "don't", "hate", "nothing", "but", "great", "people", "gli", "immigrati", "non", "sono", "feccia", "splendide", "the", "we",
        ];
        _groupTexts = Generate(groupWords, random);
        _model = LinearTextModel.LoadDefault();
        _baseline = LinearTextModel.LoadDefaultBaseline();
        _previous = Environment.GetEnvironmentVariable("BULWARK_BENCH_PREVIOUS_MODEL") is { Length: > 0 } dir ? LinearTextModel.Load(dir) : _model;
        Console.WriteLine($"// previous model: {_previous.Manifest.Id}@{_previous.Manifest.Version}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public double BagOfWordsBaseline() => ScoreAll(_baseline, _texts, 0);

    [Benchmark(OperationsPerInvoke = 1000)]
    public double Model() => ScoreAll(_model, _texts, 0);

    [Benchmark(OperationsPerInvoke = 1000)]
    public double PreviousModel() => ScoreAll(_previous, _texts, 0);

    [Benchmark(OperationsPerInvoke = 1000)]
    public double ModelOnGroupTexts() => ScoreAll(_model, _groupTexts, 2);

    [Benchmark(OperationsPerInvoke = 1000)]
    public double PreviousModelOnGroupTexts() => ScoreAll(_previous, _groupTexts, 2);

    [Benchmark]
    public LinearTextModel LoadModel() => LinearTextModel.LoadDefault();

    /// <summary>Scores every text and sums one head's probability, so the work cannot be optimised away.</summary>
    private double ScoreAll(LinearTextModel model, string[] texts, int head)
    {
        double sum = 0;
        foreach (var t in texts) { model.Score(t, _p); sum += _p[head]; }
        return sum;
    }

    /// <summary>1,000 texts of 200 characters drawn from <paramref name="words"/>, with a sentence break now and then.</summary>
    internal static string[] Generate(string[] words, Random random) => Enumerable.Range(0, 1000).Select(_ =>
    {
        var sb = new System.Text.StringBuilder();
        while (sb.Length < 200) sb.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ". " : " ");
        return sb.ToString(0, 200);
    }).ToArray();
}
