using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Core.Signals.Semantic;

/// <summary>
/// A logistic-regression head over <see cref="SentenceEmbedder"/> vectors: the probability that a text is violating
/// (a threat, a call to violence, praise of an attack, support for a violent group, attack instructions). Shipped as
/// <c>Signals/Semantic/Model/head.json</c>; <see cref="SemanticHeadTrainer"/> writes it (<c>bulwark semantic train</c>).
/// </summary>
public sealed record SemanticHead
{
    public const string ResourceName = "Bulwark.Semantic/head.json";

    public required string Id { get; init; }
    public required string Version { get; init; }
    public string Encoder { get; init; } = SentenceEmbedder.ModelName;
    public required float[] Weights { get; init; }
    public required float Bias { get; init; }
    /// <summary>A text scoring at or above it is labelled <c>fired</c>; chosen on out-of-fold training scores (see the trainer).</summary>
    public required double Threshold { get; init; }
    /// <summary>What it was trained on: file name or source, rows, SHA-256 of the file where there is one.</summary>
    public IReadOnlyList<string> TrainedOn { get; init; } = [];

    [JsonIgnore] public string Tag => $"{Id}@{Version}";

    public double Score(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != Weights.Length) throw new ArgumentException($"embedding has {embedding.Length} dimensions, the head {Weights.Length}");
        double z = Bias;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * embedding[i];
        return 1.0 / (1.0 + Math.Exp(-z));
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SemanticHead FromJson(string json, string origin)
    {
        SemanticHead? head;
        try { head = JsonSerializer.Deserialize<SemanticHead>(json, Json); }
        catch (JsonException e) { throw new InvalidDataException($"{origin}: not a semantic head ({e.Message})", e); }
        if (head is null) throw new InvalidDataException($"{origin}: empty");
        if (head.Weights.Length != SentenceEmbedder.Dimension)
            throw new InvalidDataException($"{origin}: {head.Weights.Length} weights, expected {SentenceEmbedder.Dimension} ({SentenceEmbedder.ModelName})");
        if (head.Threshold is <= 0 or >= 1 || double.IsNaN(head.Threshold))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{origin}: threshold {head.Threshold} is not between 0 and 1"));
        return head;
    }

    /// <summary>A head file (from <c>bulwark semantic train</c>); a missing or malformed file is an error naming it.</summary>
    public static SemanticHead Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Semantic head file '{path}' does not exist.", path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>The shipped head (embedded in Bulwark.Core).</summary>
    public static SemanticHead Shipped { get; } = LoadShipped();

    private static SemanticHead LoadShipped()
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                      ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var r = new StreamReader(s);
        return FromJson(r.ReadToEnd(), ResourceName);
    }
}
