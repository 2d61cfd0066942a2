using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals.Notices;

/// <summary>The signal type of a notice: someone outside Bulwark's detectors told the platform about the item.</summary>
public static class NoticeSignalTypes
{
    /// <summary>
    /// The event came as a notice (<c>source.type</c> other than <c>upload</c>): value = the source type, labels
    /// <c>source:&lt;type&gt;</c>. Rules route it to a person (<c>notices.rules</c>, <c>authority.rules</c>), so a notice
    /// that no detector flags still reaches someone.
    /// </summary>
    public const string Received = "notice.received";

    /// <summary>The source types that are notices, in the ingestion contract's words.</summary>
    public static readonly IReadOnlyList<string> Sources = ["user_report", "trusted_flagger", "partner_alert", "authority_order"];
}

/// <summary>
/// Turns the event's source into evidence: one <see cref="NoticeSignalTypes.Received"/> signal for an event that came as a
/// user report, a trusted flagger's notice, a partner alert or an authority order. Reads nothing but the event. The
/// explanation names the kind of notice, the notifying organisation (trusted flaggers, partners, authorities; never a
/// reporting user) and the platform's reference, so the reviewer sees why the case exists when no detector fired.
/// </summary>
public sealed class NoticeExtractor : ISignalExtractor
{
    public string Name => "notice";

    public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var source = context.Event.Source;
        if (source?.Type is not { } type || !NoticeSignalTypes.Sources.Contains(type, StringComparer.Ordinal)) return ValueTask.FromResult(StageResult.Success);
        context.Signals.Add(new Signal(NoticeSignalTypes.Received, Name, Explain(type, source.Name, source.Reference), Value: type, Labels: [$"source:{type}"]));
        return ValueTask.FromResult(StageResult.Success);
    }

    internal static string Explain(string type, string? name, string? reference)
    {
        var who = type switch
        {
            "user_report" => "A user reported the item",
            "trusted_flagger" => "A trusted flagger notified the item",
            "partner_alert" => "A partner alerted the platform to the item",
            _ => "An authority ordered action on the item",
        };
        // A reporting user is never named; organisations are (the ingestion contract forbids private persons' names there).
        if (type != "user_report" && !string.IsNullOrWhiteSpace(name)) who += $" ({name.Trim()})";
        return string.IsNullOrWhiteSpace(reference) ? who : $"{who}, reference {reference.Trim()}";
    }
}
