using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals;

/// <summary>
/// SHA-256 and MD5 of every media file (matching against the banks, exact and perceptual together, is done by
/// <see cref="KnownContent.KnownContentExtractor"/>, so a safe-bank match can suppress every other match of the file).
/// Media given by URL is fetched first (once per item, shared with the other extractors through <see cref="PipelineMedia"/>,
/// which retries a passing failure a bounded number of times). A file that cannot be had — unknown host, refused, timed out,
/// too large, HTTP error, forbidden address — becomes a <c>media.unavailable</c> signal labelled <c>reason:…</c>, and the
/// item is decided from everything else: a media failure never holds back or dead-letters the text.
/// </summary>
public sealed class ExactHashExtractor(PipelineMedia media) : ISignalExtractor
{
    public string Name => "exact-hash";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var items = context.Event.Media;
        if (items is null || items.Count == 0) return StageResult.Success;
        for (var i = 0; i < items.Count; i++)
        {
            var m = items[i];
            var r = await media.ResolveAsync(context, i, ct);
            if (!r.Ok)
            {
                string[] labels = [$"reason:{r.Reason}"];
                context.Signals.Add(m.Url is not null
                    ? new Signal(SignalTypes.MediaUnavailable, Name, $"media[{i}] could not be fetched: {r.Error}", Value: m.Url, Labels: labels)
                    : new Signal(SignalTypes.MediaUnavailable, Name, $"media[{i}] ({r.Error})", Value: m.Sha256, Labels: labels));
                continue;
            }
            context.Signals.Add(new Signal(SignalTypes.MediaHashes, Name, $"Hashes of media[{i}]{r.Note}", Value: $"sha256={r.Sha256};md5={r.Md5}"));
        }
        return StageResult.Success;
    }
}
