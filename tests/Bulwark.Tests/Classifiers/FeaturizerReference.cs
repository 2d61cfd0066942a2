using Bulwark.Core.Signals.Classifiers;

namespace Bulwark.Tests.Classifiers;

/// <summary>
/// The plain reference the featuriser's radix sort is held to: the same raw feature indices
/// (<c>TextFeaturizer.FeaturizeUnfinished</c>), sorted with <see cref="Array.Sort{T}(T[], int, int)"/>, then turned into run
/// lengths as the featuriser does. It lives here, not in production code, because only the tests (and the benchmark's own
/// copy) use it.
/// </summary>
internal static class FeaturizerReference
{
    public static void Featurize(TextFeaturizer featurizer, string? text, TextFeaturizer.Vector into)
    {
        featurizer.FeaturizeUnfinished(text, into);
        if (into.RawCount == 0) return;
        Array.Sort(into.Raw, 0, into.RawCount);
        TextFeaturizer.RunLengths(into, into.Raw);
    }
}
