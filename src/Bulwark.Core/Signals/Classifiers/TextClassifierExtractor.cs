using System.Globalization;
using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// Classifies every text of an item (<see cref="PipelineTexts.Of"/>: the caption or comment, hashtags, transcript, the
/// account's handle, display name and bio, and text OCR read in its media) with every registered model. Each head whose probability reaches <see cref="ClassifierOptions.MinRecordedScore"/>
/// becomes a <c>classifier.&lt;label&gt;</c> signal whose source names the model and version and whose labels say which field,
/// whether the head fired, and any caveat: <c>truncated</c>, or <c>unsupported-language:xx</c> when the event's language is
/// not one the model was trained on (the text is still scored). Empty fields are skipped; nothing here throws on input.
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
            var p = new double[m.Heads.Count];
            foreach (var (field, value) in fields)
            {
                ct.ThrowIfCancellationRequested();
                var truncated = value.Length > options.MaxChars;
                model.Score(truncated ? value[..options.MaxChars] : value, p);
                for (var h = 0; h < m.Heads.Count; h++)
                {
                    var head = m.Heads[h];
                    var fired = p[h] >= head.Threshold;
                    if (!fired && p[h] < options.MinRecordedScore) continue;
                    var labels = new List<string> { $"model:{m.Id}@{m.Version}", $"field:{field}", fired ? "fired" : "below-threshold" };
                    var caveats = "";
                    if (truncated) { labels.Add("truncated"); caveats += $"; only the first {options.MaxChars} of {value.Length} characters were scored"; }
                    if (unsupported) { labels.Add($"unsupported-language:{language}"); caveats += $"; language '{language}' is not one the model was trained on ({string.Join(", ", m.Languages)}), so the score is less reliable"; }
                    context.Signals.Add(new Signal(
                        ClassifierSignalTypes.For(head.Label), $"{Name}:{m.Id}@{m.Version}",
                        string.Create(CultureInfo.InvariantCulture,
                            $"{field}: {head.Label} probability {p[h]:0.000} (fires at {head.Threshold:0.00}) by model {m.Id} version {m.Version}{caveats}"),
                        Value: field, Score: Math.Round(p[h], 4), Labels: labels));
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
