using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Tests.Classifiers;

namespace Bulwark.Benchmarks.Classifiers;

/// <summary>
/// An operator-supplied ONNX model (the tests' tiny WordPiece + embedding-mean + linear graph, so the figure is ONNX Runtime
/// and tokenizer overhead per text, not transformer compute) against the built-in linear model, on the same 1,000 texts of
/// about 200 characters, one thread. Also the load: three files hashed, manifest parsed, session created, names checked.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*OnnxBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class OnnxBenchmarks
{
    private string[] _texts = [];
    private LinearTextModel _builtIn = null!;
    private OnnxTextModel _onnx = null!;
    private OnnxModelOptions _options = null!;
    private readonly double[] _p = new double[3];
    private string _dir = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var words = TinyOnnxModel.Vocab.Skip(5).Where(w => !w.StartsWith("##", StringComparison.Ordinal)).Concat(["video", "oggi", "domani", "amazing"]).ToArray();
        _texts = Enumerable.Range(0, 1000).Select(_ =>
        {
            var sb = new System.Text.StringBuilder();
            while (sb.Length < 200) sb.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ". " : " ");
            return sb.ToString(0, 200);
        }).ToArray();
        _dir = Directory.CreateTempSubdirectory("bulwark-onnx-bench").FullName;
        _options = new OnnxModelOptions
        {
            ModelPath = Path.Combine(_dir, "model.onnx"), VocabPath = Path.Combine(_dir, "vocab.txt"), ManifestPath = Path.Combine(_dir, "manifest.json"),
        };
        File.WriteAllBytes(_options.ModelPath, TinyOnnxModel.Build());
        File.WriteAllText(_options.VocabPath, TinyOnnxModel.VocabText);
        File.WriteAllText(_options.ManifestPath, """
            { "id": "tiny", "version": "1", "languages": ["en"], "output": "probs", "activation": "none", "maxLength": 128,
              "heads": [ { "label": "threat", "index": 0, "threshold": 0.5 }, { "label": "glorification", "index": 1, "threshold": 0.5 } ] }
            """);
        _options.ModelSha256 = Sha(_options.ModelPath);
        _options.VocabSha256 = Sha(_options.VocabPath);
        _options.ManifestSha256 = Sha(_options.ManifestPath);
        _builtIn = LinearTextModel.LoadDefault();
        _onnx = OnnxTextModel.Load(_options, "bench");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _onnx.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public double BuiltInModel()
    {
        double sum = 0;
        foreach (var t in _texts) { _builtIn.Score(t, _p); sum += _p[0]; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double OnnxModel()
    {
        double sum = 0;
        foreach (var t in _texts) { _onnx.Score(t, _p); sum += _p[0]; }
        return sum;
    }

    [Benchmark]
    public void LoadOnnxModel()
    {
        using var m = OnnxTextModel.Load(_options, "bench");
    }
}
