using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Matching.Hashing;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>One matched stretch of a video, in seconds from its start (end exclusive: the time of the next sampled frame).</summary>
public sealed record SegmentRange(double Start, double End);

/// <summary>
/// Which stretches of the query video and of the bank entry's video matched: at most
/// <see cref="VpdqSegments.DefaultMaxRanges"/> ranges a side, in time order; <see cref="QueryRanges"/> and
/// <see cref="ReferenceRanges"/> count them all and <see cref="Truncated"/> says when some were left out. The durations
/// let a timeline be drawn to scale.
/// </summary>
public sealed record SegmentDetails(
    IReadOnlyList<SegmentRange> Query, IReadOnlyList<SegmentRange> Reference, int QueryRanges, int ReferenceRanges, bool Truncated,
    double QueryDuration, double ReferenceDuration);

/// <summary>
/// The stored details of a vPDQ <c>hash.match</c> / <c>hash.safe_match</c> signal (<see cref="Signal.DetailsJson"/>; the
/// API's <c>details</c>): how it matched (<c>frames</c>, <c>untrimmed</c> or <c>halves</c>), the shares of frames, and the
/// matched segments.
/// </summary>
public sealed record MatchDetails(string? MatchedBy, double? QueryMatchPercent, double? ReferenceMatchPercent, SegmentDetails? Segments)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The details of a video match; null for other matches (they have nothing beyond the signal's columns).</summary>
    public static MatchDetails? Of(KnownMatch m) => m.SignalType != KnownSignalTypes.Vpdq ? null : new(
        m.MatchedBy, Round(m.QueryMatchPercent), Round(m.ReferenceMatchPercent),
        m.Segments is not { } s ? null : new SegmentDetails(Ranges(s.Query), Ranges(s.Reference), s.QueryRanges, s.ReferenceRanges, s.Truncated,
            Math.Round(s.QueryDuration, 3), Math.Round(s.ReferenceDuration, 3)));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The details stored with a signal; null when there are none or they are not match details.</summary>
    public static MatchDetails? Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonSerializer.Deserialize<MatchDetails>(json, Json); }
        catch (JsonException) { return null; }
    }

    private static List<SegmentRange> Ranges(IReadOnlyList<VpdqSegment> ranges) => ranges.Select(r => new SegmentRange(Math.Round(r.Start, 3), Math.Round(r.End, 3))).ToList();

    private static double? Round(double? percent) => percent is { } p ? Math.Round(p, 2) : null;
}
