using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals;

/// <summary>
/// SHA-256 and MD5 of every media file (matching against the banks, exact and perceptual together, is done by
/// <see cref="KnownContent.KnownContentExtractor"/>, so a safe-bank match can suppress every other match of the file).
/// Media given by URL is fetched first (once per item, shared with the other extractors through <see cref="PipelineMedia"/>);
/// a fetch that may succeed later fails the stage as retryable, one that never will (forbidden address, too large, 404)
/// becomes a <c>media.unavailable</c> signal.
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
                if (r.Retryable) return StageResult.Transient($"media[{i}]: {r.Error}");
                context.Signals.Add(m.Url is not null
                    ? new Signal(SignalTypes.MediaUnavailable, Name, $"media[{i}] could not be fetched: {r.Error}", Value: m.Url)
                    : new Signal(SignalTypes.MediaUnavailable, Name, $"media[{i}] ({r.Error})", Value: m.Sha256));
                continue;
            }
            context.Signals.Add(new Signal(SignalTypes.MediaHashes, Name, $"Hashes of media[{i}]{r.Note}", Value: $"sha256={r.Sha256};md5={r.Md5}"));
        }
        return StageResult.Success;
    }
}
