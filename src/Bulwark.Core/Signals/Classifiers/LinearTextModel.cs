using System.Reflection;
using System.Security.Cryptography;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>A loaded text classifier: its manifest and a way to score text.</summary>
public interface ITextClassifier
{
    ModelManifest Manifest { get; }
    /// <summary>Calibrated probabilities, one per head in <see cref="ModelManifest.Heads"/> order.</summary>
    void Score(string? text, Span<double> probabilities);
}

/// <summary>
/// The built-in model at run time: one linear head per label over <see cref="TextFeaturizer"/> features, trained with ML.NET
/// (<see cref="ClassifierTrainer"/>) and calibrated with Platt scaling. Scoring needs no ML.NET: the weights of all heads are
/// interleaved per feature, so one pass over the sparse vector scores every label.
/// </summary>
public sealed class LinearTextModel : ITextClassifier
{
    public const string WeightsFile = "weights.bin";
    private const int Magic = 0x4D4C5742; // "BWLM"

    private readonly float[] _weights; // [feature * heads + head]
    private readonly float[] _bias;
    private readonly TextFeaturizer _featurizer;
    private readonly bool[] _stanceGated; // per head: HeadGates.SpeakerStance

    public ModelManifest Manifest { get; }
    public TextFeaturizer Featurizer => _featurizer;

    internal LinearTextModel(ModelManifest manifest, float[] weights, float[] bias)
    {
        Manifest = manifest;
        _weights = weights;
        _bias = bias;
        _featurizer = new TextFeaturizer(manifest.Features);
        _stanceGated = manifest.Heads.Select(h => h.Gate == HeadGates.SpeakerStance).ToArray();
    }

    public void Score(string? text, Span<double> probabilities) => Score(_featurizer.FeaturizeShared(text), probabilities);

    /// <summary>Scores an already featurised text (the windowed path composes window vectors from sentences featurised once).</summary>
    internal void Score(TextFeaturizer.Vector v, Span<double> probabilities)
    {
        var heads = _bias.Length;
        if (probabilities.Length < heads) throw new ArgumentException($"Need room for {heads} probabilities.", nameof(probabilities));
        Span<float> raw = stackalloc float[heads];
        _bias.CopyTo(raw);
        var idx = v.IndexSpan;
        var val = v.ValueSpan;
        var w = _weights;
        for (var i = 0; i < idx.Length; i++)
        {
            var row = idx[i] * heads;
            var x = val[i];
            for (var h = 0; h < heads; h++) raw[h] += w[row + h] * x;
        }
        for (var h = 0; h < heads; h++) probabilities[h] = _stanceGated[h] && v.SpeakerOnlyPositive ? 0 : Manifest.Heads[h].Calibration.Apply(raw[h]);
    }

    /// <summary>Whether a head's gate closes on this text (its probability is then 0 whatever the weights say).</summary>
    public bool IsGated(string? text, int head) => _stanceGated[head] && _featurizer.FeaturizeShared(text).SpeakerOnlyPositive;

    /// <summary>Refuses a gate the model cannot evaluate: an unknown name, or the stance gate without the stance features.</summary>
    internal static void CheckGates(ModelManifest manifest, string where)
    {
        foreach (var head in manifest.Heads)
        {
            if (head.Gate is null) continue;
            if (head.Gate != HeadGates.SpeakerStance)
                throw new ModelLoadException($"{where}: head '{head.Label}' has gate '{head.Gate}'; the only gate is '{HeadGates.SpeakerStance}'.");
            if (!manifest.Features.Structure || !manifest.Features.Stance)
                throw new ModelLoadException($"{where}: head '{head.Label}' has gate '{head.Gate}', which needs the features \"structure\" and \"stance\".");
        }
    }

    /// <summary>The uncalibrated linear score of one head (for tests against ML.NET).</summary>
    internal double RawScore(string? text, int head)
    {
        var v = _featurizer.FeaturizeShared(text);
        double s = _bias[head];
        var idx = v.IndexSpan;
        var val = v.ValueSpan;
        for (var i = 0; i < idx.Length; i++) s += _weights[idx[i] * _bias.Length + head] * val[i];
        return s;
    }

    /// <summary>A head's weight for one feature index (for tests).</summary>
    internal float Weight(int head, int feature) => _weights[feature * _bias.Length + head];

    // ---- files -----------------------------------------------------------------------------------------------------

    /// <summary>The model shipped inside Bulwark.Core (see docs/model-card.md).</summary>
    public static LinearTextModel LoadDefault() => LoadEmbedded("Bulwark.Classifiers.Model/");

    /// <summary>The bag-of-words baseline shipped beside the default model.</summary>
    public static LinearTextModel LoadDefaultBaseline() => LoadEmbedded("Bulwark.Classifiers.Model/baseline/");

    private static LinearTextModel LoadEmbedded(string prefix)
    {
        var asm = typeof(LinearTextModel).Assembly;
        var where = $"embedded model '{prefix}'";
        return Load(where, name => asm.GetManifestResourceStream(prefix + name));
    }

    /// <summary>Loads <c>model.json</c> and <c>weights.bin</c> from <paramref name="directory"/>.</summary>
    public static LinearTextModel Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new ModelLoadException($"Model directory '{directory}' does not exist.");
        return Load($"model directory '{directory}'", name =>
        {
            var path = Path.Combine(directory, name);
            return File.Exists(path) ? File.OpenRead(path) : null;
        });
    }

    private static LinearTextModel Load(string where, Func<string, Stream?> open)
    {
        string json;
        using (var ms = open(ModelManifest.FileName) ?? throw new ModelLoadException($"{where}: {ModelManifest.FileName} is missing."))
        using (var reader = new StreamReader(ms)) json = reader.ReadToEnd();
        var manifest = ModelManifest.Parse(json, where);
        if (manifest.Kind != ModelManifest.LinearKind)
            throw new ModelLoadException($"{where}: model kind '{manifest.Kind}' is not '{ModelManifest.LinearKind}'.");
        CheckGates(manifest, where);
        if (!manifest.Files.TryGetValue(WeightsFile, out var pinned))
            throw new ModelLoadException($"{where}: the manifest does not pin the SHA-256 of {WeightsFile}.");
        byte[] bytes;
        using (var ws = open(WeightsFile) ?? throw new ModelLoadException($"{where}: {WeightsFile} is missing."))
        using (var copy = new MemoryStream())
        {
            ws.CopyTo(copy);
            bytes = copy.ToArray();
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, pinned, StringComparison.OrdinalIgnoreCase))
            throw new ModelLoadException($"{where}: {WeightsFile} has SHA-256 {actual} but the manifest pins {pinned}; refusing to load a model whose files were changed.");
        return Parse(manifest, bytes, where);
    }

    private static LinearTextModel Parse(ModelManifest manifest, byte[] bytes, string where)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadInt32() != Magic || reader.ReadInt32() != 1) throw new ModelLoadException($"{where}: {WeightsFile} is not a version 1 weights file.");
            var bits = reader.ReadInt32();
            var heads = reader.ReadInt32();
            if (bits != manifest.Features.HashBits || heads != manifest.Heads.Count || bits is < 8 or > 24)
                throw new ModelLoadException($"{where}: {WeightsFile} ({heads} heads, 2^{bits} features) does not match the manifest.");
            var dim = 1 << bits;
            var weights = new float[dim * heads];
            var bias = new float[heads];
            for (var h = 0; h < heads; h++)
            {
                bias[h] = reader.ReadSingle();
                var nnz = reader.ReadInt32();
                for (var k = 0; k < nnz; k++)
                {
                    var index = reader.ReadInt32();
                    var value = reader.ReadSingle();
                    if ((uint)index >= (uint)dim) throw new ModelLoadException($"{where}: feature index {index} is out of range.");
                    weights[index * heads + h] = value;
                }
            }
            return new LinearTextModel(manifest, weights, bias);
        }
        catch (EndOfStreamException)
        {
            throw new ModelLoadException($"{where}: {WeightsFile} is truncated.");
        }
    }

    /// <summary>Writes the weights (non-zero entries only) and a manifest that pins their SHA-256.</summary>
    internal static ModelManifest Save(string directory, ModelManifest manifest, IReadOnlyList<(float Bias, float[] Weights)> heads)
    {
        Directory.CreateDirectory(directory);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(1);
            w.Write(manifest.Features.HashBits);
            w.Write(heads.Count);
            foreach (var (bias, weights) in heads)
            {
                w.Write(bias);
                w.Write(weights.Count(x => x != 0));
                for (var i = 0; i < weights.Length; i++)
                {
                    if (weights[i] == 0) continue;
                    w.Write(i);
                    w.Write(weights[i]);
                }
            }
        }
        var bytes = ms.ToArray();
        File.WriteAllBytes(Path.Combine(directory, WeightsFile), bytes);
        var pinned = manifest with { Files = new SortedDictionary<string, string> { [WeightsFile] = Convert.ToHexStringLower(SHA256.HashData(bytes)) } };
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), pinned.ToJson() + "\n");
        return pinned;
    }
}
