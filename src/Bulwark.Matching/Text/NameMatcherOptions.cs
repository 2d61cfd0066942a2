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

    /// <summary>How many blocking candidates are scored in full per query. Scoring is nearly all of the cost; on the UN
    /// list 24 keeps recall (99.86 %) and obfuscated recall (99.20 % against 99.26 % at 48) at threshold 0.94.</summary>
    [Range(1, 10_000)]
    public int MaxCandidates { get; init; } = 24;

    /// <summary>
    /// Score subtracted per token left unpaired (query or name side), times the token's rarity: its inverse document
    /// frequency relative to the rarest possible token. An unpaired rare token ("barzan") is evidence of a different
    /// person; an unpaired common one ("mohammed") much less so.
    /// </summary>
    [Range(0.0, 1.0)]
    public double UnpairedPenalty { get; init; } = 0.1;

    /// <summary>Jaro–Winkler similarities of non-identical Latin tokens are raised to this power, so near misses
    /// count for less ("khalifa"/"khilafa" 0.96 → 0.92; "uthman"/"othman" 0.89 → 0.79). Consonant-skeleton
    /// (Arabic-script) and initial similarities are not raised.</summary>
    [Range(1.0, 10.0)]
    public double FuzzyExponent { get; init; } = 2.0;

    /// <summary>Fuzzy pairs with a glued whole-name token whose shorter side is less than this share of the longer
    /// one's length earn nothing ("gurg" is no "guregap"; Jaro–Winkler's prefix bonus would say 0.90).</summary>
    [Range(0.0, 1.0)]
    public double MinLengthRatio { get; init; } = 0.7;
}
