namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// Templated synthetic sentences in English and Italian for the three heads, with contrasts that share their words: figurative
/// and reported violence, counter-speech quoting hate, negated hate, abuse of non-protected targets, non-hateful profanity,
/// news about and condemnation of extremist groups. Deterministic for a seed. Documented in docs/model-card.md.
/// </summary>
internal static partial class SyntheticCorpus
{
    private static readonly Dictionary<string, bool> Threat = new() { [ClassifierLabels.Threat] = true, [ClassifierLabels.Glorification] = false };
    private static readonly Dictionary<string, bool> Hate = new() { [ClassifierLabels.Hate] = true, [ClassifierLabels.Threat] = false, [ClassifierLabels.Glorification] = false };
    private static readonly Dictionary<string, bool> Glorification = new() { [ClassifierLabels.Glorification] = true, [ClassifierLabels.Threat] = false };
    private static readonly Dictionary<string, bool> None = new() { [ClassifierLabels.Threat] = false, [ClassifierLabels.Glorification] = false, [ClassifierLabels.Hate] = false };

    /// <summary>Share of sentences that get typing noise (swapped, dropped or spaced letters, leetspeak).</summary>
    private const double NoiseShare = 0.2;

    public static IEnumerable<LabelledText> Generate(int seed) =>
        English(new Random(seed)).Concat(Italian(new Random(seed + 1)));

    private static IEnumerable<LabelledText> Emit(TemplateExpander x, IEnumerable<string> templates, int perTemplate, Dictionary<string, bool> labels, string lang)
    {
        var noise = new Random(perTemplate * 7919 + labels.Count);
        foreach (var text in x.ExpandAll(templates, perTemplate))
        {
            var noisy = noise.NextDouble() < NoiseShare;
            yield return new LabelledText(noisy ? x.Perturb(text) : text, labels, 1, lang, noisy ? "synthetic-noisy" : "synthetic");
        }
    }
}
