namespace Bulwark.Matching.Text;

/// <summary>
/// A normaliser <see cref="PatternMatcher"/> can run, as a type so the matcher is specialised per normaliser without
/// virtual calls: the fused one in production, the reference one in the benchmarks' side-by-side measurement.
/// </summary>
internal interface INormalizerPass
{
    static abstract void NormalizeInto(ReadOnlySpan<char> text, NormalizationBuffer output, int offset);

    /// <summary>The steps that normalising <paramref name="text"/> on its own reports: a match's explanation.</summary>
    static abstract NormalizationSteps StepsOf(ReadOnlySpan<char> text);
}

internal readonly struct FusedNormalizerPass : INormalizerPass
{
    public static void NormalizeInto(ReadOnlySpan<char> text, NormalizationBuffer output, int offset) =>
        TextNormalizer.NormalizeInto(text, output, offset);

    public static NormalizationSteps StepsOf(ReadOnlySpan<char> text) => TextNormalizer.StepsOf(text);
}

/// <summary>The multi-pass path as it was: reference normaliser, and a normalised copy allocated per match for its steps.</summary>
internal readonly struct ReferenceNormalizerPass : INormalizerPass
{
    public static void NormalizeInto(ReadOnlySpan<char> text, NormalizationBuffer output, int offset) =>
        ReferenceTextNormalizer.NormalizeInto(text, output, offset);

    public static NormalizationSteps StepsOf(ReadOnlySpan<char> text) => ReferenceTextNormalizer.Normalize(text.ToString()).Steps;
}
