using Bulwark.Core.Pipeline;
using Bulwark.Matching.Hashing;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>
/// PDQ for every image and vPDQ for every video of an item, then every hash (exact and perceptual) matched against the
/// banks. Each match becomes a <c>hash.match</c> signal naming bank, entry, labels and distance; a safe-bank match becomes a
/// <c>hash.safe_match</c> that suppresses the others. A file that cannot be hashed becomes a <c>media.unhashable</c> signal.
/// </summary>
public sealed class KnownContentExtractor(PipelineMedia media, MediaHasher hasher, KnownContentMatcher matcher) : ISignalExtractor
{
    public string Name => "known-content";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var items = context.Event.Media;
        if (items is null || items.Count == 0) return StageResult.Success;
        for (var i = 0; i < items.Count; i++)
        {
            var r = await media.ResolveAsync(context, i, ct);
            if (!r.Ok) continue; // already reported as media.unavailable by the exact-hash stage
            var subject = $"media[{i}]";
            MediaHashes hashes;
            if (r.LocalPath is null)
                hashes = new MediaHashes(r.Sha256!, r.Md5!, MediaHashes.Unknown, null, null, null, "the media store is not a local folder", false);
            else
                hashes = await hasher.HashFileAsync(r.LocalPath, items[i].MimeType, dihedral: false, ct);

            if (hashes.Pdq is { } pdq)
                context.Signals.Add(new Signal(SignalTypes.MediaPerceptual, Name, $"PDQ of {subject} (quality {pdq.Quality})", Value: $"pdq={pdq.Hash};quality={pdq.Quality}", Score: pdq.Quality));
            else if (hashes.Vpdq is { } frames)
                context.Signals.Add(new Signal(SignalTypes.MediaPerceptual, Name,
                    $"vPDQ of {subject}: {frames.Count} usable frame(s)" + (hashes.VpdqRegions.Count > 0 ? $", {hashes.VpdqRegions.Count} half-frame hash(es)" : "")
                    + (hashes.VpdqUntrimmed.Count > 0 ? $", black bars trimmed ({hashes.VpdqUntrimmed.Count} frame(s) also hashed with them)" : ""),
                    Value: $"vpdq={frames.Count} frames;md5={KnownSignalTypes.VpdqSignal(frames).Value}"));
            else if (hashes.Unhashable is { } why)
                context.Signals.Add(new Signal(SignalTypes.MediaUnhashable, Name,
                    $"{subject} could not be perceptually hashed: {why}" + (hashes.VideoUnavailable ? " (video hashing is unavailable on this node)" : ""), Value: r.Sha256));

            var set = await matcher.MatchAsync(hashes, bank: null, ct);
            foreach (var m in set.Matches)
            {
                if (m.SafeBank)
                {
                    var suppressed = set.Suppressed.Count == 0 ? "" : "; suppressed: " + string.Join("; ", set.Suppressed.Select(s => s.Describe(subject)));
                    context.Signals.Add(new Signal(SignalTypes.SafeMatch, Name, m.Describe(subject) + suppressed,
                        Value: $"{m.SignalType}:{m.Value}", Distance: m.Distance, Bank: m.Bank, BankEntryId: m.EntryId, Labels: m.Labels,
                        DetailsJson: MatchDetails.Of(m)?.ToJson()));
                }
                else
                    context.Signals.Add(new Signal(SignalTypes.HashMatch, Name, m.Describe(subject),
                        Value: $"{m.SignalType}:{m.Value}", Distance: m.Distance, Bank: m.Bank, BankEntryId: m.EntryId, Labels: m.Labels,
                        DetailsJson: MatchDetails.Of(m)?.ToJson()));
            }
        }
        return StageResult.Success;
    }
}

/// <summary>Each link of an item, normalised, as a <c>url</c> signal, matched against <c>url</c> and <c>url_md5</c> entries.</summary>
public sealed class UrlExtractor(KnownContentMatcher matcher) : ISignalExtractor
{
    public string Name => "url";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var links = context.Event.Links;
        if (links is null) return StageResult.Success;
        for (var i = 0; i < links.Count; i++)
        {
            if (!KnownSignalTypes.TryNormalizeUrl(links[i], out var url, out _)) continue;
            var md5 = KnownSignalTypes.Md5Hex(url);
            context.Signals.Add(new Signal(SignalTypes.Url, Name, $"links[{i}] normalised", Value: $"url={url};md5={md5}"));
            var set = await matcher.MatchSignalAsync(new CanonicalSignal(KnownSignalTypes.Url, url, null, null), null, ct);
            foreach (var m in set.Matches)
                context.Signals.Add(new Signal(m.SafeBank ? SignalTypes.SafeMatch : SignalTypes.HashMatch, Name, m.Describe($"links[{i}]"),
                    Value: $"{m.SignalType}:{m.Value}", Distance: 0, Bank: m.Bank, BankEntryId: m.EntryId, Labels: m.Labels));
        }
        return StageResult.Success;
    }
}
