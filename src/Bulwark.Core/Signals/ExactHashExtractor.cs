using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals;

/// <summary>
/// SHA-256 and MD5 of every media file, matched against the exact-hash entries of enabled banks.
/// Media given by URL is fetched first; a fetch that may succeed later fails the stage as retryable,
/// one that never will (forbidden address, too large, 404) becomes a <c>media.unavailable</c> signal.
/// </summary>
public sealed class ExactHashExtractor(IMediaStore store, MediaFetcher fetcher, IBulwarkDbFactory dbs) : ISignalExtractor
{
    public string Name => "exact-hash";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var media = context.Event.Media;
        if (media is null || media.Count == 0) return StageResult.Success;
        for (var i = 0; i < media.Count; i++)
        {
            var m = media[i];
            string sha256, md5;
            string? note = null;
            if (m.Url is not null)
            {
                var fetched = await fetcher.FetchAsync(m.Url, m.MimeType, ct);
                if (!fetched.Ok)
                {
                    if (fetched.Retryable) return StageResult.Transient($"media[{i}]: {fetched.Error}");
                    context.Signals.Add(new Signal(SignalTypes.MediaUnavailable, Name, $"media[{i}] could not be fetched: {fetched.Error}", Value: m.Url));
                    continue;
                }
                sha256 = fetched.Media!.Sha256!;
                md5 = fetched.Media.Md5!;
                if (m.Sha256 is not null && m.Sha256 != sha256) note = $" (the event declared SHA-256 {m.Sha256})";
            }
            else
            {
                await using var file = store.OpenRead(m.Sha256!);
                if (file is null)
                {
                    context.Signals.Add(new Signal(SignalTypes.MediaUnavailable, Name, $"media[{i}] (uploaded part '{m.Part}') is missing from the media store", Value: m.Sha256));
                    continue;
                }
                sha256 = m.Sha256!;
                md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(file, ct));
            }
            context.Signals.Add(new Signal(SignalTypes.MediaHashes, Name, $"Hashes of media[{i}]{note}", Value: $"sha256={sha256};md5={md5}"));
            await MatchAsync(context, i, sha256, md5, ct);
        }
        return StageResult.Success;
    }

    private async Task MatchAsync(PipelineContext context, int index, string sha256, string md5, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var matches = await db.BankEntries.AsNoTracking()
            .Where(e => e.Enabled && ((e.SignalType == "sha256" && e.Value == sha256) || (e.SignalType == "md5" && e.Value == md5)))
            .Join(db.Banks.Where(b => b.Enabled), e => e.BankId, b => b.Id, (e, b) => new { Entry = e, Bank = b.Name })
            .ToListAsync(ct);
        foreach (var match in matches)
        {
            var labels = JsonSerializer.Deserialize(match.Entry.LabelsJson, IngestJson.Default.ListString) ?? [];
            context.Signals.Add(new Signal(
                SignalTypes.HashMatch, Name,
                $"media[{index}] {match.Entry.SignalType} equals entry {match.Entry.Id} of bank '{match.Bank}'"
                    + (labels.Count > 0 ? $" labelled {string.Join(", ", labels)}" : "") + " (distance 0)",
                Value: $"{match.Entry.SignalType}:{match.Entry.Value}", Distance: 0, Bank: match.Bank, BankEntryId: match.Entry.Id, Labels: labels));
        }
    }
}
