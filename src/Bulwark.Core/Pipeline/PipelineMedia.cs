using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Bulwark.Core.Ingest;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// A media file of an event, made local: where it is, its exact hashes, or why it is not available (<see cref="Error"/>, with a
/// short <see cref="Reason"/> code such as <c>dns</c>, <c>refused</c>, <c>timeout</c>, <c>too-large</c>, <c>http-404</c>).
/// </summary>
public sealed record ResolvedMedia(string? Sha256, string? Md5, string? LocalPath, string? Error, string? Reason, string? Note)
{
    public bool Ok => Error is null;
}

/// <summary>
/// Fetches or opens each media file of an item once and shares the result between extractors (exact hashes, PDQ/vPDQ…).
/// Results hang off the <see cref="PipelineContext"/> without changing it, and go away with it.
/// A media failure is a result, never a stage failure: a fetch that may pass in a moment is tried again here, a bounded
/// number of times (<see cref="MediaFetchOptions.Attempts"/>, pauses from <see cref="MediaFetchOptions.RetryDelayMilliseconds"/>),
/// and then the item goes on without the file, so the text is always decided.
/// </summary>
public sealed class PipelineMedia(IMediaStore store, MediaFetcher fetcher, IngestOptions options, TimeProvider clock)
{
    private readonly ConditionalWeakTable<PipelineContext, ConcurrentDictionary<int, Lazy<Task<ResolvedMedia>>>> _cache = new();

    public Task<ResolvedMedia> ResolveAsync(PipelineContext context, int index, CancellationToken ct)
    {
        var perItem = _cache.GetValue(context, _ => new());
        return perItem.GetOrAdd(index, i => new Lazy<Task<ResolvedMedia>>(() => LoadAsync(context.Event.Media![i], ct))).Value;
    }

    private async Task<ResolvedMedia> LoadAsync(MediaRef m, CancellationToken ct)
    {
        if (m.Url is not null)
        {
            var fetched = await fetcher.FetchAsync(m.Url, m.MimeType, ct);
            var delay = TimeSpan.FromMilliseconds(options.Fetch.RetryDelayMilliseconds);
            for (var attempt = 2; !fetched.Ok && fetched.Retryable && attempt <= options.Fetch.Attempts; attempt++, delay *= 2)
            {
                if (delay > TimeSpan.Zero) await Task.Delay(delay, clock, ct);
                fetched = await fetcher.FetchAsync(m.Url, m.MimeType, ct);
            }
            if (!fetched.Ok)
            {
                var tries = fetched.Retryable && options.Fetch.Attempts > 1 ? $" (tried {options.Fetch.Attempts} times)" : "";
                return new(null, null, null, fetched.Error + tries, fetched.Reason ?? FetchFailures.Connection, null);
            }
            var sha = fetched.Media!.Sha256!;
            var note = m.Sha256 is not null && m.Sha256 != sha ? $" (the event declared SHA-256 {m.Sha256})" : null;
            return new(sha, fetched.Media.Md5, store.LocalPath(sha), null, null, note);
        }
        await using var file = store.OpenRead(m.Sha256!);
        if (file is null) return new(null, null, null, $"uploaded part '{m.Part}' is missing from the media store", "missing", null);
        var md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(file, ct));
        return new(m.Sha256, md5, store.LocalPath(m.Sha256!), null, null, null);
    }
}
