using System.Globalization;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Matching.Hashing;

namespace Bulwark.Server.Pages.Queues;

/// <summary>
/// A video match's segments drawn as two tracks on one time scale (the longer video fills the width): the query's matched
/// ranges above, the bank entry's below. Positions are SVG user units out of <see cref="Width"/> (the CSP allows no inline
/// style, so geometry goes in SVG attributes). The ranges are also listed as text beside the drawing.
/// </summary>
public sealed record MatchTimeline(long SignalId, SegmentDetails Segments)
{
    public const int Width = 1000;

    public double Scale => Math.Max(Math.Max(Segments.QueryDuration, Segments.ReferenceDuration), 1e-3);

    /// <summary>The track of a video of <paramref name="duration"/> seconds: its width in user units.</summary>
    public string TrackWidth(double duration) => Units(duration);

    /// <summary>A range's x and width in user units (at least 2 units wide, so a one-frame range stays visible).</summary>
    public (string X, string Width) Bar(SegmentRange r) => (Units(r.Start), Units(Math.Max(r.End - r.Start, 2 * Scale / Width)));

    private string Units(double seconds) => (Math.Clamp(seconds / Scale, 0, 1) * Width).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Range(SegmentRange r) => $"{VpdqSegments.Clock(r.Start)}–{VpdqSegments.Clock(r.End)}";

    public static string Clock(double seconds) => VpdqSegments.Clock(seconds);
}
