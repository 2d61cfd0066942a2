using System.Security.Cryptography;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Classifiers;

/// <summary>Operator-supplied ONNX models: loading, inference against a hand computation, hash pinning and name checks.</summary>
public sealed class OnnxModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-onnx-tests", Guid.NewGuid().ToString("N"));

    public OnnxModelTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Manifest = """
        {
          "id": "tiny-transformer", "version": "0.3.1", "languages": ["en"],
          "tokenizer": "wordpiece", "lowerCase": true,
          "inputIds": "input_ids", "attentionMask": "attention_mask", "output": "probs",
          "activation": "none", "maxLength": 6,
          "heads": [ { "label": "threat", "index": 0, "threshold": 0.5 }, { "label": "glorification", "index": 1, "threshold": 0.9 } ]
        }
        """;

    /// <summary>Writes the three files and returns options pinning them.</summary>
    private OnnxModelOptions Write(byte[]? model = null, string manifest = Manifest, byte[]? tokenizer = null)
    {
        var options = new OnnxModelOptions
        {
            ModelPath = Path.Combine(_dir, "model.onnx"), VocabPath = Path.Combine(_dir, "vocab.txt"), ManifestPath = Path.Combine(_dir, "manifest.json"),
        };
        File.WriteAllBytes(options.ModelPath, model ?? TinyOnnxModel.Build());
        if (tokenizer is null) File.WriteAllText(options.VocabPath, TinyOnnxModel.VocabText);
        else File.WriteAllBytes(options.VocabPath, tokenizer);
        File.WriteAllText(options.ManifestPath, manifest);
        options.ModelSha256 = Sha(options.ModelPath);
        options.VocabSha256 = Sha(options.VocabPath);
        options.ManifestSha256 = Sha(options.ManifestPath);
        return options;
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void A_pinned_model_loads_and_scores_what_a_hand_computation_gives()
    {
        using var model = OnnxTextModel.Load(Write(), "test");
        Assert.Equal(("tiny-transformer", "0.3.1", OnnxModelManifest.Kind), (model.Manifest.Id, model.Manifest.Version, model.Manifest.Kind));
        Assert.Equal(["threat", "glorification"], model.Manifest.Labels);
        Assert.Equal(3, model.Manifest.Files.Count);

        // [CLS]=2 "i"=5 "will"=6 "kill"=7 "you"=8 [SEP]=3; lower-cased first.
        var ids = model.Tokenize("I will KILL you");
        Assert.Equal([2, 5, 6, 7, 8, 3], ids);
        var p = new double[2];
        model.Score("I will KILL you", p);
        var expected = TinyOnnxModel.Expected(ids);
        Assert.Equal(expected[0], p[0], 5);
        Assert.Equal(expected[1], p[1], 5);
        Assert.NotEqual(p[0], p[1], 3);

        // Sub-words, unknown words and the token limit (maxLength 6 keeps [CLS] + 4 + [SEP]).
        Assert.Equal([2, 10, 11, 1, 3], model.Tokenize("friends zebra"));
        var cut = model.Tokenize("hello the school tomorrow the school");
        Assert.Equal(6, cut.Count);
        Assert.Equal(3, cut[^1]);
        model.Score("", p);
        Assert.Equal(TinyOnnxModel.Expected([2, 3])[0], p[0], 5);
    }

    [Fact]
    public void A_file_that_differs_from_its_pin_is_refused_naming_the_file_and_both_hashes()
    {
        var options = Write();
        var pinned = options.ModelSha256!;
        var changed = TinyOnnxModel.Build(output: "probs");
        changed[^1] ^= 1; // one byte of the opset version: a different file
        File.WriteAllBytes(options.ModelPath!, changed);
        var e = Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(options, "Bulwark:Classifiers:OnnxModels:0"));
        Assert.Contains($"'{options.ModelPath}'", e.Message);
        Assert.Contains($"has SHA-256 {Sha(options.ModelPath!)}", e.Message);
        Assert.Contains($"Bulwark:Classifiers:OnnxModels:0:ModelSha256 pins {pinned}", e.Message);

        var vocab = Write();
        File.AppendAllText(vocab.VocabPath!, "extra\n");
        Assert.Contains("vocabulary file", Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(vocab, "k")).Message);

        var unpinned = Write();
        unpinned.ManifestSha256 = null;
        Assert.Contains("ManifestSha256", Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(unpinned, "k")).Message);
    }

    [Fact]
    public void Input_or_output_names_that_differ_from_the_manifest_are_refused_listing_both()
    {
        var inputs = Write(TinyOnnxModel.Build(inputIds: "ids", mask: "mask"));
        var e = Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(inputs, "k"));
        Assert.Contains("expected inputs ['input_ids', 'attention_mask'] and output 'probs'", e.Message);
        Assert.Contains("the model has inputs ['ids', 'mask'] and outputs ['probs']", e.Message);

        var output = Write(TinyOnnxModel.Build(output: "scores"));
        e = Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(output, "k"));
        Assert.Contains("and output 'probs'", e.Message);
        Assert.Contains("outputs ['scores']", e.Message);
    }

    [Fact]
    public void Bad_manifests_and_corrupt_models_are_refused_with_the_reason()
    {
        var bad = Write(manifest: Manifest.Replace("\"activation\": \"none\"", "\"activation\": \"relu\"").Replace("\"index\": 1", "\"index\": -1"));
        var e = Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(bad, "k"));
        Assert.Contains("activation 'relu' is not one of sigmoid, softmax, none", e.Message);
        Assert.Contains("head 'glorification' has a negative index", e.Message);

        var outOfRange = Write(manifest: Manifest.Replace("\"index\": 1", "\"index\": 5"));
        Assert.Contains("has 2 values per text but a head uses index 5", Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(outOfRange, "k")).Message);

        var corrupt = Write("not a protobuf"u8.ToArray());
        Assert.Contains("cannot be loaded by ONNX Runtime", Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(corrupt, "k")).Message);
    }

    [Fact]
    public void A_sentencepiece_tokenizer_with_an_id_offset_feeds_the_model_the_ids_it_was_trained_on()
    {
        var manifest = Manifest.Replace("\"tokenizer\": \"wordpiece\"", "\"tokenizer\": \"sentencepiece\", \"idOffset\": 2, \"bosId\": 2, \"eosId\": 3, \"unkId\": 1");
        using var model = OnnxTextModel.Load(Write(manifest: manifest, tokenizer: TinyOnnxModel.SentencePieceModel()), "k");
        var ids = model.Tokenize("I will KILL you");
        Assert.Equal([2, 5, 6, 7, 8, 3], ids); // the same ids as the WordPiece vocabulary gives
        var p = new double[2];
        model.Score("I will KILL you", p);
        Assert.Equal(TinyOnnxModel.Expected(ids)[0], p[0], 5);
        // "hello", "▁", then an unknown piece per unknown character, mapped to unkId, cut to maxLength 6.
        Assert.Equal([2, 9, 14, 1, 1, 3], model.Tokenize("hello zzz"));

        var notSpm = Write(manifest: manifest);  // a vocab.txt where a SentencePiece model is expected
        Assert.Contains("cannot be used as a sentencepiece tokenizer", Assert.Throws<ModelLoadException>(() => OnnxTextModel.Load(notSpm, "k")).Message);
    }

    [Fact]
    public void A_minimal_manifest_gets_the_documented_defaults()
    {
        using var model = OnnxTextModel.Load(Write(manifest: """
            { "id": "m", "version": "1", "languages": ["en"], "output": "probs", "heads": [ { "label": "threat", "index": 0, "threshold": 0.5 } ] }
            """), "k");
        var m = model.OnnxManifest;
        Assert.Equal(("wordpiece", true, "input_ids", "attention_mask", null, "sigmoid", 128),
            (m.Tokenizer, m.LowerCase, m.InputIds, m.AttentionMask, m.TokenTypeIds, m.Activation, m.MaxLength));
        Assert.Equal([2, 5, 6, 7, 8, 3], model.Tokenize("I WILL kill you"));
    }

    [Fact]
    public void Softmax_and_calibrated_sigmoid_activations_turn_outputs_into_probabilities()
    {
        var softmax = Write(manifest: Manifest.Replace("\"activation\": \"none\"", "\"activation\": \"softmax\""));
        using var s = OnnxTextModel.Load(softmax, "k");
        var p = new double[2];
        s.Score("hello friend", p);
        var raw = TinyOnnxModel.Expected(s.Tokenize("hello friend"));
        Assert.Equal(Math.Exp(raw[0]) / (Math.Exp(raw[0]) + Math.Exp(raw[1])), p[0], 5);
        Assert.Equal(1.0, p[0] + p[1], 6);

        var calibrated = Write(manifest: Manifest.Replace("\"activation\": \"none\"", "\"activation\": \"sigmoid\"")
            .Replace("\"threshold\": 0.5 }", "\"threshold\": 0.5, \"calibration\": { \"method\": \"platt\", \"slope\": -2.0, \"offset\": 0.5 } }"));
        using var c = OnnxTextModel.Load(calibrated, "k");
        c.Score("hello friend", p);
        Assert.Equal(1 / (1 + Math.Exp(-2.0 * raw[0] + 0.5)), p[0], 5);
        Assert.Equal(1 / (1 + Math.Exp(-raw[1])), p[1], 5);
    }

    [Fact]
    public async Task A_configured_model_is_registered_and_its_signals_record_its_version()
    {
        var registry = ClassifierRegistry.FromOptions(new ClassifierOptions { OnnxModels = [Write()] });
        Assert.NotNull(registry.Find("bulwark-text-en-it"));
        Assert.IsType<OnnxTextModel>(registry.Find("tiny-transformer"));

        var context = new PipelineContext(1, "c", 1, new ContentEvent { Id = "c", Kind = "text", Text = "I will kill you", Language = "en" });
        await new TextClassifierExtractor(registry, new ClassifierOptions { MinRecordedScore = 0 }).ExtractAsync(context, default);
        var signal = Assert.Single(context.Signals, s => s.Source == "text-classifier:tiny-transformer@0.3.1" && s.Type == "classifier.threat");
        Assert.Contains("model:tiny-transformer@0.3.1", signal.Labels!);
        Assert.Equal("text", signal.Value);
        Assert.Equal(Math.Round(TinyOnnxModel.Expected([2, 5, 6, 7, 8, 3])[0], 4), signal.Score);

        var twice = new ClassifierOptions { OnnxModels = [Write(), Write()] };
        Assert.Contains("already registered", Assert.Throws<InvalidOperationException>(() => ClassifierRegistry.FromOptions(twice)).Message);
    }

    [Fact]
    public async Task The_cli_scores_and_evaluates_a_configured_onnx_model_beside_the_shipped_one()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var o = Write();
        var config = Path.Combine(db.Directory, "onnx.json");
        await File.WriteAllTextAsync(config, System.Text.Json.JsonSerializer.Serialize(new
        {
            Bulwark = new { Classifiers = new { OnnxModels = new[] { new { o.ModelPath, o.VocabPath, o.ManifestPath, o.ModelSha256, o.VocabSha256, o.ManifestSha256 } } } },
        }));

        var score = await CliRunner.RunAsync(db, "classifier", "score", "--onnx", "tiny-transformer", "--config", config, "I will kill you");
        Assert.Equal(0, score.ExitCode);
        var expected = TinyOnnxModel.Expected([2, 5, 6, 7, 8, 3]);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"threat         {expected[0]:0.000}"), score.Out);
        Assert.Contains("glorification", score.Out);

        var data = Path.Combine(db.Directory, "eval.csv");
        await File.WriteAllTextAsync(data, "text,threat,glorification,hate\nI will kill you,1,0,\nhello friends,0,0,\nsee you at school tomorrow,0,0,\n");
        var eval = await CliRunner.RunAsync(db, "classifier", "eval", "--onnx", "tiny-transformer", "--config", config, "--data", data);
        Assert.True(eval.ExitCode == 0, eval.Err);
        Assert.Contains("3 rows; model tiny-transformer@0.3.1, baseline bulwark-text-en-it@1.4.0", eval.Out);

        var unknown = await CliRunner.RunAsync(db, "classifier", "score", "--onnx", "nope", "--config", config, "x");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No ONNX model with id 'nope' is configured under Bulwark:Classifiers:OnnxModels; configured: tiny-transformer.", unknown.Err);
    }
}
