using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Signals.Ocr;

/// <summary>
/// Reads the text in every image and in sampled frames of every video of an item. Each image with text, and each run of
/// video frames showing the same text, becomes one <see cref="SignalTypes.OcrText"/> signal: the value is the text, the
/// first label the field (<c>ocr:N</c> for media N, <c>ocr:N@12s</c> for a run of frames starting 12 s in), then the
/// languages and the mean word confidence. Later text detectors read these through <see cref="PipelineTexts"/>. A file that
/// cannot be read — or OCR unavailable on this node — becomes a <see cref="SignalTypes.OcrFailed"/> signal, never an error.
/// </summary>
public sealed class OcrExtractor(PipelineMedia media, OcrReader reader) : ISignalExtractor
{
    public string Name => "ocr";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var items = context.Event.Media;
        if (items is null || items.Count == 0 || !reader.Options.Enabled) return StageResult.Success;
        for (var i = 0; i < items.Count; i++)
        {
            var r = await media.ResolveAsync(context, i, ct);
            if (!r.Ok) continue; // already reported as media.unavailable by the exact-hash stage
            if (r.LocalPath is null)
            {
                Failed(context, i, new OcrError(OcrErrorCode.Unavailable, "the media store is not a local folder"));
                continue;
            }
            var result = await reader.ReadAsync(r.LocalPath, items[i].MimeType, ct);
            foreach (var g in result.Readings)
            {
                if (!result.IsVideo) { Add(context, $"ocr:{i}", $"media[{i}]", g.Text); continue; }
                var field = string.Create(CultureInfo.InvariantCulture, $"ocr:{i}@{g.StartSeconds:0.#}s");
                var where = g.Frames == 1
                    ? string.Create(CultureInfo.InvariantCulture, $"media[{i}] frame at {g.StartSeconds:0.#} s")
                    : string.Create(CultureInfo.InvariantCulture, $"media[{i}] {g.Frames} frames from {g.StartSeconds:0.#} s to {g.EndSeconds:0.#} s");
                Add(context, field, where, g.Text);
            }
            if (result.Error is { } e) Failed(context, i, result.Partial ? e with { Message = $"{e.Message}; text read before that is kept" } : e);
        }
        return StageResult.Success;
    }

    private void Add(PipelineContext context, string field, string where, OcrText text)
    {
        var o = reader.Options;
        var value = text.Text;
        var labels = new List<string> { field, $"languages:{o.Languages}", string.Create(CultureInfo.InvariantCulture, $"confidence:{text.Confidence:0}") };
        var note = "";
        if (value.Length > o.MaxTextChars)
        {
            note = $"; cut to {o.MaxTextChars} of {value.Length} characters";
            value = value[..o.MaxTextChars];
            labels.Add("truncated");
        }
        context.Signals.Add(new Signal(SignalTypes.OcrText, Name,
            string.Create(CultureInfo.InvariantCulture, $"text read in {where}: {text.Words} word(s), mean confidence {text.Confidence:0}{note}"),
            Value: value, Score: Math.Round(text.Confidence / 100, 3), Labels: labels));
    }

    private void Failed(PipelineContext context, int index, OcrError error) =>
        context.Signals.Add(new Signal(SignalTypes.OcrFailed, Name, $"media[{index}] could not be read by OCR: {ServerPaths.Redact(error.Message)}",
            Value: $"ocr:{index}", Labels: [error.Label]));
}

public static class OcrRegistration
{
    /// <summary>OCR options (validated at start-up), the tesseract runner and the extractor. Register before text detectors.</summary>
    public static IServiceCollection AddBulwarkOcr(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OcrOptions>().Bind(configuration.GetSection(OcrOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OcrOptions>>().Value);
        services.AddSingleton<TesseractOcr>();
        services.AddSingleton<OcrVideo>();
        services.AddSingleton<OcrReader>();
        services.AddSingleton<ISignalExtractor, OcrExtractor>();
        return services;
    }
}
