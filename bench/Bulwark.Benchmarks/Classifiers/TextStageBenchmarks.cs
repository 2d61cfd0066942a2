using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Semantic;

namespace Bulwark.Benchmarks.Classifiers;

/// <summary>
/// The text stage per item, one thread, on the 1,000 texts of about 200 characters of <see cref="ClassifierBenchmarks"/>:
/// the registered extractors that read text alone (the text classifier, window by window, and time/place) on a comment event
/// each; beside it the shipped model scored window by window and as one window, and the previous model (1.3.0 in the recorded
/// run) both ways: as one window is how 1.3.0 was deployed. texts/s per core = 1,000 / mean.
/// Entity screening, the other text extractor, needs its database-built index and is measured in EntityScreeningBenchmarks.
/// Run: BULWARK_BENCH_PREVIOUS_MODEL=/tmp/prev-model dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*TextStageBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcess))]
public class TextStageBenchmarks
{
    /// <summary>In process: on the shared 2-core machine, building BenchmarkDotNet's generated project hit its 2-minute build timeout.</summary>
    private sealed class InProcess : ManualConfig
    {
        public InProcess() => AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    private string[] _texts = [];
    private LinearTextModel _model = null!;
    private LinearTextModel _previous = null!;
    private ISignalExtractor[] _stage = [];
    private ISignalExtractor[] _stageWithSemantic = [];
    private SemanticExtractor _semantic = null!;
    private readonly double[] _p = new double[3];

    [GlobalSetup]
    public void Setup()
    {
        string[] words =
        [
            "video", "today", "amazing", "news", "city", "match", "school", "tomorrow", "kill", "going", "the", "to", "we", "will",
            "oggi", "domani", "partita", "scuola", "ciao", "bella", "\"quote\"", "don't", "never", "h4te", "people", "all", "#live",
        ];
        _texts = ClassifierBenchmarks.Generate(words, new Random(42));
        _model = LinearTextModel.LoadDefault();
        _previous = Environment.GetEnvironmentVariable("BULWARK_BENCH_PREVIOUS_MODEL") is { Length: > 0 } dir ? LinearTextModel.Load(dir) : _model;
        Console.WriteLine($"// model {_model.Manifest.Version}, previous model: {_previous.Manifest.Id}@{_previous.Manifest.Version}");
        var options = new ClassifierOptions();
        _stage = [new TextClassifierExtractor(ClassifierRegistry.FromOptions(options), options), new TimePlaceExtractor()];
        // The semantic detector switched on, with its default budget: at most SemanticOptions.MaxPerSecond texts per second are embedded (the real clock).
        _stageWithSemantic = [.. _stage, new SemanticExtractor(new SemanticOptions { Enabled = true }, TimeProvider.System)];
        _semantic = new SemanticExtractor(new SemanticOptions { Enabled = true, MaxPerSecond = 0 }, TimeProvider.System);
        SentenceEmbedder.Embed("load the model before measuring");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public int TextStage()
    {
        var signals = 0;
        for (var i = 0; i < _texts.Length; i++)
        {
            var context = new PipelineContext(i, "c", 1, new ContentEvent { Id = "c", Kind = "comment", Text = _texts[i], Language = "en" });
            foreach (var x in _stage) x.ExtractAsync(context, default).GetAwaiter().GetResult();
            signals += context.Signals.Count;
        }
        return signals;
    }

    /// <summary>The same stage with the semantic detector under its default budget (docs/semantic.md, "Cost").</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public int TextStageWithSemanticBudget() => Run(_stageWithSemantic, _texts.Length);

    /// <summary>The semantic detector alone with no budget: every text embedded (per text; 50 texts per invocation).</summary>
    [Benchmark(OperationsPerInvoke = 50)]
    public int SemanticEveryText() => Run([_semantic], 50);

    private int Run(ISignalExtractor[] stage, int n)
    {
        var signals = 0;
        for (var i = 0; i < n; i++)
        {
            var context = new PipelineContext(i, "c", 1, new ContentEvent { Id = "c", Kind = "comment", Text = _texts[i], Language = "en" });
            foreach (var x in stage) x.ExtractAsync(context, default).GetAwaiter().GetResult();
            signals += context.Signals.Count;
        }
        return signals;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double ModelWindowed() => Windowed(_model);

    /// <summary>The shipped model window by window with every window's text featurised (the path before sentences were
    /// featurised once and reused; same scores), beside <see cref="ModelWindowed"/> in the same run.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public double ModelWindowedFeaturisingEveryWindow()
    {
        double sum = 0;
        foreach (var t in _texts) sum += WindowedScoring.Score(_model, t, "text", reuseSentences: false).Probabilities[0];
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double ModelWholeText() => Whole(_model);

    [Benchmark(OperationsPerInvoke = 1000)]
    public double PreviousModelWindowed() => Windowed(_previous);

    [Benchmark(OperationsPerInvoke = 1000)]
    public double PreviousModelWholeText() => Whole(_previous);

    private double Windowed(LinearTextModel model)
    {
        double sum = 0;
        foreach (var t in _texts) sum += WindowedScoring.Score(model, t).Probabilities[0];
        return sum;
    }

    private double Whole(LinearTextModel model)
    {
        double sum = 0;
        foreach (var t in _texts) { model.Score(t, _p); sum += _p[0]; }
        return sum;
    }
}
