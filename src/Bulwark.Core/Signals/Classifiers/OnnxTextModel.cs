using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// An operator-supplied transformer model (bound from <c>Bulwark:Classifiers:OnnxModels:N</c>): three files, each pinned by
/// its SHA-256 in configuration, so a model cannot change without the configuration changing with it.
/// </summary>
public sealed class OnnxModelOptions
{
    /// <summary>The ONNX graph (e.g. an XLM-R or BERT classifier exported with its classification head).</summary>
    [Required] public string? ModelPath { get; set; }
    /// <summary>The tokenizer file: a WordPiece <c>vocab.txt</c> (one token per line, line number = id) or a SentencePiece
    /// <c>.model</c>, as the manifest's <c>tokenizer</c> says.</summary>
    [Required] public string? VocabPath { get; set; }
    /// <summary>The manifest (<see cref="OnnxModelManifest"/>): id, version, labels, languages, tensor names, max length, calibration.</summary>
    [Required] public string? ManifestPath { get; set; }
    [Required, RegularExpression("^[0-9a-fA-F]{64}$")] public string? ModelSha256 { get; set; }
    [Required, RegularExpression("^[0-9a-fA-F]{64}$")] public string? VocabSha256 { get; set; }
    [Required, RegularExpression("^[0-9a-fA-F]{64}$")] public string? ManifestSha256 { get; set; }
    /// <summary>ONNX Runtime threads per inference; the pipeline already scores several items at once.</summary>
    [Range(1, 64)] public int Threads { get; set; } = 1;
}

/// <summary>One output of an ONNX model: which element of the output vector, its label, when it fires, and optional Platt calibration.</summary>
public sealed record OnnxHead(string Label, int Index, double Threshold, Calibration? Calibration = null);

/// <summary>
/// The manifest of an ONNX model. <see cref="Activation"/> says how outputs become probabilities: <c>sigmoid</c> (outputs are
/// logits; a head's <see cref="OnnxHead.Calibration"/>, when given, replaces the plain sigmoid), <c>softmax</c> (over the
/// whole output vector, for single-label classifiers) or <c>none</c> (the graph already outputs probabilities).
/// </summary>
public sealed record OnnxModelManifest
{
    // Optional members have setters, not init: the source-generated reader would otherwise reset a missing one to null/0
    // instead of keeping its default.
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    /// <summary><c>wordpiece</c> (BERT-style vocab.txt) or <c>sentencepiece</c> (a SentencePiece BPE or Unigram .model).</summary>
    public string Tokenizer { get; set; } = "wordpiece";
    public bool LowerCase { get; set; } = true;
    /// <summary>SentencePiece only: added to every piece id (XLM-R's fairseq vocabulary is the SentencePiece one shifted by 1).</summary>
    public int IdOffset { get; set; }
    /// <summary>SentencePiece only: the model's ids of the sequence start, end and unknown tokens when they are not the
    /// SentencePiece ones plus <see cref="IdOffset"/> (XLM-R: 0, 2, 3).</summary>
    public int? BosId { get; set; }
    public int? EosId { get; set; }
    public int? UnkId { get; set; }
    public string InputIds { get; set; } = "input_ids";
    public string? AttentionMask { get; set; } = "attention_mask";
    public string? TokenTypeIds { get; set; }
    public required string Output { get; init; }
    public string Activation { get; set; } = "sigmoid";
    /// <summary>Tokens per text including [CLS] and [SEP]; longer texts are cut.</summary>
    public int MaxLength { get; set; } = 128;
    public required IReadOnlyList<OnnxHead> Heads { get; init; }

    public const string Kind = "onnx-transformer/v1";
    internal static readonly string[] Activations = ["sigmoid", "softmax", "none"];
}

/// <summary>
/// An operator-supplied transformer classifier run with ONNX Runtime, tokenised with Microsoft.ML.Tokenizers (WordPiece or SentencePiece).
/// Loading refuses files whose SHA-256 differs from the pinned value, and a graph whose input or output names differ from
/// the manifest's, with a message listing both; after that, scoring one text is one inference.
/// </summary>
public sealed class OnnxTextModel : ITextClassifier, IDisposable
{
    private readonly InferenceSession _session;
    private readonly Func<string, IReadOnlyList<int>> _tokenize;
    private readonly OnnxModelManifest _onnx;
    private readonly string[] _outputNames;

    public ModelManifest Manifest { get; }
    public OnnxModelManifest OnnxManifest => _onnx;

    private OnnxTextModel(InferenceSession session, Func<string, IReadOnlyList<int>> tokenize, OnnxModelManifest onnx, ModelManifest manifest)
    {
        _session = session;
        _tokenize = tokenize;
        _onnx = onnx;
        _outputNames = [onnx.Output];
        Manifest = manifest;
    }

    /// <summary>Loads and checks the model configured at <paramref name="key"/> (e.g. <c>Bulwark:Classifiers:OnnxModels:0</c>, used in messages).</summary>
    public static OnnxTextModel Load(OnnxModelOptions o, string key)
    {
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(o, new ValidationContext(o), errors, validateAllProperties: true))
            throw new ModelLoadException($"{key}: {string.Join("; ", errors.Select(e => $"{string.Join(",", e.MemberNames)} {e.ErrorMessage}"))}.");
        var manifestBytes = ReadPinned(o.ManifestPath!, o.ManifestSha256!, $"{key}:ManifestSha256", "manifest");
        var vocabBytes = ReadPinned(o.VocabPath!, o.VocabSha256!, $"{key}:VocabSha256", "vocabulary");
        var modelBytes = ReadPinned(o.ModelPath!, o.ModelSha256!, $"{key}:ModelSha256", "ONNX model");

        var onnx = ParseManifest(manifestBytes, o.ManifestPath!);
        Func<string, IReadOnlyList<int>> tokenizer;
        try
        {
            tokenizer = onnx.Tokenizer == "sentencepiece" ? SentencePiece(vocabBytes, onnx) : WordPiece(vocabBytes, onnx);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or IOException or NotSupportedException)
        {
            throw new ModelLoadException($"Tokenizer file '{o.VocabPath}' cannot be used as a {onnx.Tokenizer} tokenizer: {e.Message}");
        }

        InferenceSession session;
        var sessionOptions = new SessionOptions { IntraOpNumThreads = o.Threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        try { session = new InferenceSession(modelBytes, sessionOptions); }
        catch (OnnxRuntimeException e) { throw new ModelLoadException($"ONNX model '{o.ModelPath}' cannot be loaded by ONNX Runtime: {e.Message}"); }
        finally { sessionOptions.Dispose(); }

        try
        {
            CheckNames(session, onnx, o.ModelPath!);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        var hashes = new Dictionary<string, string>
        {
            [Path.GetFileName(o.ModelPath!)] = Hex(modelBytes), [Path.GetFileName(o.VocabPath!)] = Hex(vocabBytes), [Path.GetFileName(o.ManifestPath!)] = Hex(manifestBytes),
        };
        var manifest = new ModelManifest
        {
            Id = onnx.Id, Version = onnx.Version, Kind = OnnxModelManifest.Kind, Languages = onnx.Languages, Features = new FeatureOptions(),
            Heads = onnx.Heads.Select(h => new HeadManifest(h.Label, h.Threshold, h.Calibration ?? new Calibration(onnx.Activation, -1, 0))).ToList(),
            Files = hashes,
        };
        return new OnnxTextModel(session, tokenizer, onnx, manifest);
    }

    private static byte[] ReadPinned(string path, string pinned, string setting, string what)
    {
        if (!File.Exists(path)) throw new ModelLoadException($"The {what} file '{path}' does not exist.");
        var bytes = File.ReadAllBytes(path);
        var actual = Hex(bytes);
        if (!string.Equals(actual, pinned, StringComparison.OrdinalIgnoreCase))
            throw new ModelLoadException($"The {what} file '{path}' has SHA-256 {actual} but {setting} pins {pinned.ToLowerInvariant()}; refusing to load a model whose files differ from the pinned ones.");
        return bytes;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static OnnxModelManifest ParseManifest(byte[] bytes, string path)
    {
        OnnxModelManifest m;
        try
        {
            m = JsonSerializer.Deserialize(bytes, ClassifierJson.Default.OnnxModelManifest) ?? throw new ModelLoadException($"Manifest '{path}' is empty.");
        }
        catch (JsonException e) { throw new ModelLoadException($"Manifest '{path}' is not valid: {e.Message}"); }
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(m.Id)) problems.Add("id is empty");
        if (string.IsNullOrWhiteSpace(m.Version)) problems.Add("version is empty");
        if (m.Tokenizer is not ("wordpiece" or "sentencepiece")) problems.Add($"tokenizer '{m.Tokenizer}' is not supported (expected wordpiece or sentencepiece)");
        if (Array.IndexOf(OnnxModelManifest.Activations, m.Activation) < 0) problems.Add($"activation '{m.Activation}' is not one of {string.Join(", ", OnnxModelManifest.Activations)}");
        if (m.MaxLength is < 3 or > 8192) problems.Add($"maxLength {m.MaxLength} is outside 3–8192");
        if (m.Heads is not { Count: > 0 }) problems.Add("heads is empty");
        else
        {
            foreach (var h in m.Heads)
            {
                if (string.IsNullOrWhiteSpace(h.Label)) problems.Add("a head has no label");
                if (h.Index < 0) problems.Add($"head '{h.Label}' has a negative index");
                if (h.Threshold is < 0 or > 1) problems.Add($"head '{h.Label}' threshold {h.Threshold} is outside 0–1");
            }
            foreach (var dup in m.Heads.GroupBy(h => h.Label).Where(g => g.Count() > 1)) problems.Add($"label '{dup.Key}' appears twice");
        }
        if (problems.Count > 0) throw new ModelLoadException($"Manifest '{path}': {string.Join("; ", problems)}.");
        return m;
    }

    private static void CheckNames(InferenceSession session, OnnxModelManifest m, string path)
    {
        var expectedInputs = new[] { m.InputIds, m.AttentionMask, m.TokenTypeIds }.OfType<string>().ToList();
        var actualInputs = session.InputMetadata.Keys.ToList();
        var actualOutputs = session.OutputMetadata.Keys.ToList();
        var inputsOk = expectedInputs.Order().SequenceEqual(actualInputs.Order());
        var outputOk = actualOutputs.Contains(m.Output);
        if (!inputsOk || !outputOk)
            throw new ModelLoadException(
                $"ONNX model '{path}' does not have the inputs and outputs its manifest names: expected inputs {List(expectedInputs)} and output '{m.Output}'; "
                + $"the model has inputs {List(actualInputs)} and outputs {List(actualOutputs)}.");
        foreach (var name in expectedInputs)
            if (session.InputMetadata[name].ElementDataType != TensorElementType.Int64)
                throw new ModelLoadException($"ONNX model '{path}': input '{name}' is {session.InputMetadata[name].ElementDataType}; token inputs must be int64.");
        if (session.OutputMetadata[m.Output].ElementDataType != TensorElementType.Float)
            throw new ModelLoadException($"ONNX model '{path}': output '{m.Output}' is {session.OutputMetadata[m.Output].ElementDataType}; float is expected.");
        var dims = session.OutputMetadata[m.Output].Dimensions;
        var maxIndex = m.Heads.Max(h => h.Index);
        if (dims.Length > 0 && dims[^1] > 0 && maxIndex >= dims[^1])
            throw new ModelLoadException($"ONNX model '{path}': output '{m.Output}' has {dims[^1]} values per text but a head uses index {maxIndex}.");

        static string List(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(n => $"'{n}'")) + "]";
    }

    /// <summary>The token ids a text is scored on: start token, at most <see cref="OnnxModelManifest.MaxLength"/> − 2 piece ids, end token.</summary>
    internal IReadOnlyList<int> Tokenize(string text) => _tokenize(text);

    private static Func<string, IReadOnlyList<int>> WordPiece(byte[] vocab, OnnxModelManifest m)
    {
        var bert = BertTokenizer.Create(new MemoryStream(vocab), new BertOptions { LowerCaseBeforeTokenization = m.LowerCase });
        return text => bert.EncodeToIds(text, m.MaxLength, addSpecialTokens: true, out _, out _);
    }

    private static Func<string, IReadOnlyList<int>> SentencePiece(byte[] model, OnnxModelManifest m)
    {
        var spm = SentencePieceTokenizer.Create(new MemoryStream(model), addBeginningOfSentence: false, addEndOfSentence: false);
        var unk = spm.UnknownId;
        var bos = m.BosId ?? spm.BeginningOfSentenceId + m.IdOffset;
        var eos = m.EosId ?? spm.EndOfSentenceId + m.IdOffset;
        var mappedUnk = m.UnkId ?? unk + m.IdOffset;
        return text =>
        {
            if (m.LowerCase) text = text.ToLowerInvariant();
            var pieces = spm.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false, maxTokenCount: m.MaxLength - 2, out _, out _);
            var ids = new List<int>(pieces.Count + 2) { bos };
            foreach (var id in pieces) ids.Add(id == unk ? mappedUnk : id + m.IdOffset);
            ids.Add(eos);
            return ids;
        };
    }

    public void Score(string? text, Span<double> probabilities)
    {
        var ids = Tokenize(text ?? "");
        var n = ids.Count;
        var shape = new[] { 1, n };
        var inputIds = new DenseTensor<long>(shape);
        for (var i = 0; i < n; i++) inputIds[0, i] = ids[i];
        var inputs = new List<NamedOnnxValue>(3) { NamedOnnxValue.CreateFromTensor(_onnx.InputIds, inputIds) };
        if (_onnx.AttentionMask is { } mask)
        {
            var ones = new DenseTensor<long>(shape);
            ones.Fill(1);
            inputs.Add(NamedOnnxValue.CreateFromTensor(mask, ones));
        }
        if (_onnx.TokenTypeIds is { } types) inputs.Add(NamedOnnxValue.CreateFromTensor(types, new DenseTensor<long>(shape)));

        using var results = _session.Run(inputs, _outputNames);
        var output = results[0].AsTensor<float>();
        var length = (int)output.Length;
        Span<float> values = length <= 256 ? stackalloc float[length] : new float[length];
        var k = 0;
        foreach (var v in output) values[k++] = v;

        double softmaxMax = 0, softmaxSum = 0;
        if (_onnx.Activation == "softmax")
        {
            softmaxMax = double.NegativeInfinity;
            foreach (var v in values) softmaxMax = Math.Max(softmaxMax, v);
            foreach (var v in values) softmaxSum += Math.Exp(v - softmaxMax);
        }
        for (var h = 0; h < _onnx.Heads.Count; h++)
        {
            var head = _onnx.Heads[h];
            if (head.Index >= length) throw new InvalidOperationException($"model {Manifest.Id}: output '{_onnx.Output}' has {length} values; head '{head.Label}' reads index {head.Index}");
            double x = values[head.Index];
            probabilities[h] = _onnx.Activation switch
            {
                "softmax" => Math.Exp(x - softmaxMax) / softmaxSum,
                "none" => Math.Clamp(x, 0, 1),
                _ => head.Calibration?.Apply(x) ?? 1 / (1 + Math.Exp(-x)),
            };
        }
    }

    public void Dispose() => _session.Dispose();
}
