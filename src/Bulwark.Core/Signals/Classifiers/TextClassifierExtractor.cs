using System.Globalization;
using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// Classifies every text of an item (<see cref="PipelineTexts.Of"/>: the caption or comment, hashtags, transcript, the
/// account's handle, display name and bio, and text OCR read in its media) with every registered model, window by window
/// (<see cref="WindowedScoring"/>): a field's score for a head is that of its strongest sentence or pair of sentences, so text
/// around a threat cannot dilute it and the whole text is scored however long it is. Each head whose probability reaches
/// <see cref="ClassifierOptions.MinRecordedScore"/> becomes a <c>classifier.&lt;label&gt;</c> signal whose source names the model
/// and version, whose explanation quotes the window that scored (offsets and an excerpt), and whose labels say which field,
/// whether the head fired, and any caveat: <c>unsupported-language:xx</c> when the event's language is not one the model was
/// trained on (the text is still scored). Identifiers (the handle, hashtags, a one-token display name) and texts of fewer than
/// three word tokens are not run through the prose heads: they give no signal (<see cref="TextWindows.NotProse"/> says why;
/// <c>bulwark classifier score</c> prints it). Empty fields are skipped; nothing here throws on input.
/// </summary>
public sealed class TextClassifierExtractor(ClassifierRegistry registry, ClassifierOptions options) : ISignalExtractor
{
    public string Name => "text-classifier";

    public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var e = context.Event;
        var fields = PipelineTexts.Of(context);
        if (fields.Count == 0) return ValueTask.FromResult(StageResult.Success);

        foreach (var model in registry.Models)
        {
            var m = model.Manifest;
            var language = PrimaryLanguage(e.Language);
            var unsupported = language is not null && !m.Languages.Contains(language, StringComparer.OrdinalIgnoreCase);
            foreach (var (field, value) in fields)
            {
                ct.ThrowIfCancellationRequested();
                var score = WindowedScoring.Score(model, value, field);
                if (score.NotScored is not null) continue;
                for (var h = 0; h < m.Heads.Count; h++)
                {
                    var head = m.Heads[h];
                    var p = score.Probabilities[h];
                    var fired = p >= head.Threshold;
                    if (!fired && p < options.MinRecordedScore) continue;
                    var labels = new List<string> { $"model:{m.Id}@{m.Version}", $"field:{field}", fired ? "fired" : "below-threshold" };
                    var caveats = "";
                    if (unsupported) { labels.Add($"unsupported-language:{language}"); caveats += $"; language '{language}' is not one the model was trained on ({string.Join(", ", m.Languages)}), so the score is less reliable"; }
                    var w = score.Strongest[h];
                    var where = score.Windows == 1 && w.Length == value.Length
                        ? "the whole text"
                        : string.Create(CultureInfo.InvariantCulture, $"the strongest of {score.Windows} windows");
                    context.Signals.Add(new Signal(
                        ClassifierSignalTypes.For(head.Label), $"{Name}:{m.Id}@{m.Version}",
                        string.Create(CultureInfo.InvariantCulture,
                            $"{field}[{w.Start}..{w.End}] \"{WindowedScoring.Excerpt(value, w)}\" ({where}): {head.Label} probability {p:0.000} (fires at {head.Threshold:0.00}) by model {m.Id} version {m.Version}{caveats}"),
                        Value: field, Score: Math.Round(p, 4), Labels: labels));
                }
            }
        }
        return ValueTask.FromResult(StageResult.Success);
    }

    private static string? PrimaryLanguage(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var dash = tag.IndexOfAny(['-', '_']);
        return (dash > 0 ? tag[..dash] : tag).ToLowerInvariant();
    }
}
