using System.Text.RegularExpressions;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;

namespace Bulwark.Core.Policy;

/// <summary>
/// Finds a time ("tomorrow", "at 3pm", "domani", "alle 15") or a place ("at the school", "davanti alla stazione") named in
/// an item's texts, in English and Italian, so a threat rule can ask whether a threat is specific. Deterministic patterns,
/// not a model: one <c>text.time_place</c> signal per field and kind, labelled <c>time</c> or <c>place</c> and
/// <c>field:&lt;field&gt;</c>, whose value is the expression found.
/// </summary>
public sealed partial class TimePlaceExtractor : ISignalExtractor
{
    public const string SignalType = "text.time_place";
    public string Name => "time-place";

    public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        foreach (var text in PipelineTexts.Of(context))
        {
            if (text.Field.StartsWith("account.", StringComparison.Ordinal)) continue; // a bio's "today" is not a threat's time
            Add(context, text, "time", Time().Match(text.Text));
            Add(context, text, "place", Place().Match(text.Text));
        }
        return ValueTask.FromResult(StageResult.Success);
    }

    /// <summary>The time and place expressions of one text (for tests and the CLI).</summary>
    public static (string? Time, string? Place) Find(string text)
    {
        var t = Time().Match(text);
        var p = Place().Match(text);
        return (t.Success ? t.Value : null, p.Success ? p.Value : null);
    }

    private void Add(PipelineContext context, PipelineText text, string kind, Match m)
    {
        if (!m.Success) return;
        context.Signals.Add(new Signal(SignalType, Name, $"{text.Field} names a {kind}: \"{m.Value}\"", Value: m.Value, Labels: [kind, $"field:{text.Field}"]));
    }

    // Item texts are up to 64 KiB of anyone's input. The non-backtracking engine matches in time linear in the text, so the
    // patterns need no match timeout (a timeout is a failure that CPU load alone can trip, and it failed the whole stage).
    // The source generator does not emit code for NonBacktracking; it caches a constructed Regex, which is what we want.
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>The time and place patterns (tests check that they run without a match timeout on the linear engine).</summary>
    internal static IReadOnlyList<Regex> Patterns => [Time(), Place()];

    private const string Days = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
    private const string Giorni = "luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica";

    [GeneratedRegex(
        @"\b(?:tomorrow|tonight|today|this (?:morning|afternoon|evening|weekend)|next (?:week|" + Days + @")|on (?:" + Days + @")" +
        @"|at (?:noon|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm)?)|\d{1,2}(?::\d{2})?\s*(?:am|pm)" +
        @"|dopodomani|domani|stasera|stanotte|oggi|questo (?:weekend|fine settimana)|(?:la )?prossima settimana|" + Giorni +
        @"|alle (?:ore )?\d{1,2}(?:[:.]\d{2})?|a (?:mezzogiorno|mezzanotte))\b",
        Options)]
    private static partial Regex Time();

    [GeneratedRegex(
        @"\b(?:(?:at|in|outside|inside|near|to) the (?:school|church|mosque|synagogue|temple|mall|station|stadium|concert|parade|market|festival|office|university|college|hospital|airport|square|rally|march|embassy|parliament|city hall)" +
        @"|(?:alla|nella|davanti alla|vicino alla|fuori dalla) (?:scuola|chiesa|moschea|sinagoga|stazione|universit[aà]|piazza|manifestazione|ambasciata)" +
        @"|(?:al|nel|davanti al|vicino al|fuori dal) (?:mercato|centro commerciale|concerto|stadio|municipio|parlamento|tempio|festival|corteo))\b",
        Options)]
    private static partial Regex Place();
}
