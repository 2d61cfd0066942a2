namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// A detector's accuracy from blind QA re-reviews of its automated restrictions: the share the reviewer agreed with, and its
/// 95 % Wilson score interval (Wilson 1927; well-behaved near 0 and 1, unlike the normal approximation). Below the minimum
/// sample size the rate is not stated at all, so a detector with three agreeing reviews is never reported as "100 %".
/// </summary>
public sealed record DetectorAccuracy(string Detector, long Samples, long Agreed, bool Enough, double? Rate, double? Low, double? High)
{
    public static DetectorAccuracy Of(string detector, long samples, long agreed, int minSamples)
    {
        if (samples < minSamples) return new(detector, samples, agreed, false, null, null, null);
        var (low, high) = Wilson(agreed, samples);
        return new(detector, samples, agreed, true, (double)agreed / samples, low, high);
    }

    /// <summary>The 95 % Wilson score interval of <paramref name="successes"/> in <paramref name="n"/> trials.</summary>
    public static (double Low, double High) Wilson(long successes, long n, double z = 1.959963984540054)
    {
        if (n <= 0) return (0, 1);
        var p = (double)successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public static IReadOnlyList<DetectorAccuracy> From(PeriodFacts facts, int minSamples) =>
        facts.Facts.Where(f => f.Metric == TransparencyMetrics.QaAutomatedReviewed).Select(f => f.SubPolicy).Distinct().Order(StringComparer.Ordinal)
            .Select(d => Of(d, facts.Sum(TransparencyMetrics.QaAutomatedReviewed, f => f.SubPolicy == d), facts.Sum(TransparencyMetrics.QaAutomatedAgreed, f => f.SubPolicy == d), minSamples))
            .ToList();
}
