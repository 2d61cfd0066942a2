using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>The labels of the built-in model.</summary>
public static class ClassifierLabels
{
    /// <summary>Threats and incitement to violence, against anyone.</summary>
    public const string Threat = "threat";
    /// <summary>Praise or support of violent extremist groups, acts or perpetrators.</summary>
    public const string Glorification = "glorification";
    /// <summary>Non-violent hateful content against protected groups, kept as context.</summary>
    public const string Hate = "hate";

    public static IReadOnlyList<string> All { get; } = [Threat, Glorification, Hate];
}

/// <summary>Signal types written by classifiers: <c>classifier.&lt;label&gt;</c>.</summary>
public static class ClassifierSignalTypes
{
    public const string Prefix = "classifier.";
    public static string For(string label) => Prefix + label;
}

/// <summary>Platt scaling of a raw linear score: <c>p = 1 / (1 + exp(Slope · score + Offset))</c>, as ML.NET fits it.</summary>
public sealed record Calibration(string Method, double Slope, double Offset)
{
    public double Apply(double score) => 1 / (1 + Math.Exp(Slope * score + Offset));
}

/// <summary>
/// One output of a model: its label, the calibration of its score, the probability at which it fires, and an optional gate:
/// <see cref="HeadGates.SpeakerStance"/> makes the head's probability 0 on text whose speaker says only positive things
/// (<see cref="TextFeaturizer.Vector.SpeakerOnlyPositive"/>), since the head's definition needs the speaker to say something
/// negative. Manifests without a gate score as before.
/// </summary>
public sealed record HeadManifest(string Label, double Threshold, Calibration Calibration, string? Gate = null);

/// <summary>The gates a head of the built-in model can have.</summary>
public static class HeadGates
{
    /// <summary>
    /// Hateful content says something negative about its target. When the speaker's own words are only positive (praise, or
    /// negated derogation such as "X are not vermin") and use no slur, a head with this gate does not fire: its probability is 0.
    /// Needs the stance features.
    /// </summary>
    public const string SpeakerStance = "speaker-stance";
}

/// <summary>
/// <c>model.json</c>: what a model is (id, version, labels, languages), how its features are made, the SHA-256 of every file it
/// consists of, and how each head is calibrated. Loading refuses a model whose files do not hash to the values here.
/// </summary>
public sealed record ModelManifest
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    public required FeatureOptions Features { get; init; }
    public required IReadOnlyList<HeadManifest> Heads { get; init; }
    /// <summary>File name → lowercase hex SHA-256.</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }
    /// <summary>Free-form notes about the training run (data, row counts, command).</summary>
    public IReadOnlyDictionary<string, string>? Training { get; init; }

    [JsonIgnore] public IReadOnlyList<string> Labels => Heads.Select(h => h.Label).ToList();

    public const string FileName = "model.json";
    public const string LinearKind = "linear-hashed-ngrams/v1";

    public string ToJson() => JsonSerializer.Serialize(this, ClassifierJson.Default.ModelManifest);

    public static ModelManifest Parse(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ClassifierJson.Default.ModelManifest)
                   ?? throw new ModelLoadException($"{where}: the manifest is empty.");
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{where}: the manifest is not valid ({ex.Message}).");
        }
    }
}

/// <summary>A model that cannot be used: missing or corrupt files, or files that do not match their pinned SHA-256.</summary>
public sealed class ModelLoadException(string message) : Exception(message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(OnnxModelManifest))]
internal sealed partial class ClassifierJson : JsonSerializerContext;
