using System.ComponentModel.DataAnnotations;

namespace Bulwark.Matching.Text;

/// <summary>Tuning for <see cref="NameMatcher"/>; defaults are the values the UN-list evaluation was run with.</summary>
public sealed class NameMatcherOptions
{
    /// <summary>Token pairs less similar than this earn nothing (Jaro–Winkler scale).</summary>
    [Range(0.5, 1.0)]
    public double MinTokenSimilarity { get; init; } = 0.88;

    /// <summary>Similarity credited when one token is the other's initial ("a" for "abu").</summary>
    [Range(0.0, 1.0)]
    public double InitialSimilarity { get; init; } = 0.8;

    /// <summary>How many blocking candidates are scored in full per query.</summary>
    [Range(1, 10_000)]
    public int MaxCandidates { get; init; } = 48;
}
