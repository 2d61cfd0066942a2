using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core.Policy;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.ViolentSpeech;

namespace Bulwark.Benchmarks.ViolentSpeech;

/// <summary>
/// The violent-speech analyser beside the shipped text classifier (the baseline, in the same run), on 1,000 texts of about 200
/// characters, one thread; texts/s per core = 1,000 / mean. The texts mix ordinary words with the analyser's triggers (violent
/// verbs, pronouns, modals, times, places, Italian forms), so most sentences reach its grammar rather than stopping at the
/// look-up. <see cref="TextStage"/> is what the pipeline's text stage does per text: the model, the analyser and the time/place patterns.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*ViolentSpeechBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class ViolentSpeechBenchmarks
{
    private string[] _texts = [];
    private string[] _plain = [];
    private LinearTextModel _model = null!;
    private readonly double[] _p = new double[3];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] triggers =
        [
            "I", "will", "kill", "you", "we", "going", "to", "stab", "the", "teacher", "tomorrow", "at", "station", "ti", "ammazzo",
            "domani", "alla", "stazione", "venerdì", "accoltello", "il", "professore", "martyr", "attack", "join", "caliphate", "never",
            "should", "be", "shot", "my", "boss", "kill", "me", "song", "video", "today", "amazing", "match", "ciao", "bella", "lol",
        ];
        string[] plain =
        [
            "video", "today", "amazing", "news", "city", "match", "school", "the", "to", "we", "oggi", "partita", "ciao", "bella",
            "lovely", "weather", "friends", "dinner", "holiday", "photo", "music", "great", "thanks", "beautiful", "family", "sunset",
        ];
        _texts = Generate(triggers, random);
        _plain = Generate(plain, random);
        _model = LinearTextModel.LoadDefault();
        _ = ViolentSpeechAnalyser.Analyse("warm up the lexicon"); // the lexicon loads once per process; not part of the per-text cost
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public double Model()
    {
        double sum = 0;
        foreach (var t in _texts) { _model.Score(t, _p); sum += _p[0]; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Analyser()
    {
        var n = 0;
        foreach (var t in _texts) n += ViolentSpeechAnalyser.Analyse(t, "en").Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int AnalyserOnPlainText()
    {
        var n = 0;
        foreach (var t in _plain) n += ViolentSpeechAnalyser.Analyse(t, "en").Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double TextStage()
    {
        double sum = 0;
        foreach (var t in _texts)
        {
            _model.Score(t, _p);
            sum += _p[0] + ViolentSpeechAnalyser.Analyse(t, "en").Count;
            var (time, place) = TimePlaceExtractor.Find(t);
            if (time is not null || place is not null) sum += 1;
        }
        return sum;
    }

    /// <summary>1,000 texts of 200 characters drawn from <paramref name="words"/>, with a sentence break now and then.</summary>
    private static string[] Generate(string[] words, Random random) => Enumerable.Range(0, 1000).Select(_ =>
    {
        var sb = new System.Text.StringBuilder();
        while (sb.Length < 200) sb.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ". " : random.Next(10) == 0 ? ", " : " ");
        return sb.ToString(0, 200);
    }).ToArray();
}
