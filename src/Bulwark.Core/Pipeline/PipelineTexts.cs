using Bulwark.Core.Signals;

namespace Bulwark.Core.Pipeline;

/// <summary>One piece of text of a content version and where it came from (<c>text</c>, <c>comment</c>, <c>transcript</c>, <c>hashtags</c>,
/// <c>account.handle</c>, <c>account.displayName</c>, <c>account.bio</c>, <c>ocr:N</c>…).</summary>
public readonly record struct PipelineText(string Field, string Text);

/// <summary>
/// The texts of an item that text detectors (classifiers, the designated-entity screener) read: the event's own fields and
/// text that earlier stages derived from its media (<see cref="SignalTypes.OcrText"/> signals, whose <c>Value</c> is the
/// text and whose first label names the field). Extractors that add derived text must be registered before those that read it.
/// </summary>
public static class PipelineTexts
{
    public static List<PipelineText> Of(PipelineContext context)
    {
        var e = context.Event;
        var texts = new List<PipelineText>();
        if (!string.IsNullOrWhiteSpace(e.Text)) texts.Add(new(e.Kind == "comment" ? "comment" : "text", e.Text));
        if (!string.IsNullOrWhiteSpace(e.Transcript)) texts.Add(new("transcript", e.Transcript));
        if (e.Hashtags is { Count: > 0 } tags) texts.Add(new("hashtags", string.Join(' ', tags.Select(t => "#" + t.TrimStart('#')))));
        if (!string.IsNullOrWhiteSpace(e.Account?.Handle)) texts.Add(new("account.handle", e.Account.Handle));
        if (!string.IsNullOrWhiteSpace(e.Account?.DisplayName)) texts.Add(new("account.displayName", e.Account.DisplayName));
        if (!string.IsNullOrWhiteSpace(e.Account?.Bio)) texts.Add(new("account.bio", e.Account.Bio));
        foreach (var s in context.Signals)
            if (s.Type == SignalTypes.OcrText && !string.IsNullOrWhiteSpace(s.Value))
                texts.Add(new(s.Labels is { Count: > 0 } l ? l[0] : "ocr", s.Value));
        return texts;
    }
}
