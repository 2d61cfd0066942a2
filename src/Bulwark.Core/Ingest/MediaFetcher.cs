namespace Bulwark.Core.Ingest;

/// <summary>Outcome of fetching a media URL. <see cref="Retryable"/> failures are worth another attempt later.</summary>
public sealed record FetchResult(MediaWriteResult? Media, string? Error, bool Retryable)
{
    public bool Ok => Media is not null && Error is null;
}

/// <summary>
/// Fetches media URLs into the media store with size and time limits. Every connection goes through the
/// <see cref="GuardedConnector"/> (resolved addresses checked at connect time), and redirects are followed by hand so each
/// hop's URL is checked too.
/// </summary>
public sealed class MediaFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly AddressGuard _guard;
    private readonly IMediaStore _store;
    private readonly IngestOptions _options;

    public MediaFetcher(AddressGuard guard, IMediaStore store, IngestOptions options, IHostResolver? resolver = null)
    {
        _guard = guard;
        _store = store;
        _options = options;
        var handler = GuardedConnector.CreateHandler(guard, resolver ?? new DnsHostResolver(), "media URL host");
        handler.ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.Fetch.TimeoutSeconds));
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<FetchResult> FetchAsync(string url, string? mimeType, CancellationToken ct)
    {
        var limit = _options.MaxMediaBytes(mimeType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.Fetch.TimeoutSeconds));
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (_guard.CheckUrl(current) is { } why) return new(null, $"media URL {why}", Retryable: false);
                using var response = await _http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.Fetch.MaxRedirects) return new(null, $"more than {_options.Fetch.MaxRedirects} redirects", Retryable: false);
                    current = new Uri(new Uri(current), location).ToString();
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    var code = (int)response.StatusCode;
                    return new(null, $"fetch answered HTTP {code}", Retryable: code is 408 or 429 or >= 500);
                }
                if (response.Content.Headers.ContentLength is { } declared && declared > limit)
                    return new(null, $"media is {declared} bytes; the limit for {mimeType ?? "this type"} is {limit}", Retryable: false);
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                var stored = await _store.PutAsync(body, limit, timeout.Token);
                return stored.TooLarge
                    ? new(null, $"media exceeds the limit of {limit} bytes for {mimeType ?? "this type"}", Retryable: false)
                    : new(stored, null, Retryable: false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(null, $"fetch timed out after {_options.Fetch.TimeoutSeconds} s", Retryable: true);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ForbiddenAddressException forbidden)
        {
            return new(null, forbidden.Message, Retryable: false);
        }
        catch (HttpRequestException ex)
        {
            return new(null, $"fetch failed: {ex.Message}", Retryable: true);
        }
    }

    public void Dispose() => _http.Dispose();
}
