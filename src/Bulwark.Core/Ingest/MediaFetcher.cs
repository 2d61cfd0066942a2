using System.Net.Sockets;

namespace Bulwark.Core.Ingest;

/// <summary>
/// Outcome of fetching a media URL. <see cref="Retryable"/> failures (refused or reset connections, HTTP 408, 429, 5xx) may
/// succeed if tried again soon; <see cref="Reason"/> is a short code for the failure (<see cref="FetchFailures"/>).
/// </summary>
public sealed record FetchResult(MediaWriteResult? Media, string? Error, bool Retryable, string? Reason = null)
{
    public bool Ok => Media is not null && Error is null;
}

/// <summary>Why a media fetch failed, as the <c>reason:…</c> label of a <c>media.unavailable</c> signal.</summary>
public static class FetchFailures
{
    public const string Forbidden = "forbidden";
    public const string Redirects = "redirects";
    public const string TooLarge = "too-large";
    public const string Timeout = "timeout";
    /// <summary>The host name does not resolve (or the resolver failed).</summary>
    public const string Dns = "dns";
    public const string Refused = "refused";
    /// <summary>Any other network failure: reset, unreachable, a response that is not HTTP.</summary>
    public const string Connection = "connection";
    public static string Http(int status) => $"http-{status}";
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
                if (_guard.CheckUrl(current) is { } why) return new(null, $"media URL {why}", Retryable: false, FetchFailures.Forbidden);
                using var response = await _http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.Fetch.MaxRedirects) return new(null, $"more than {_options.Fetch.MaxRedirects} redirects", Retryable: false, FetchFailures.Redirects);
                    current = new Uri(new Uri(current), location).ToString();
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    var code = (int)response.StatusCode;
                    return new(null, $"fetch answered HTTP {code}", Retryable: code is 408 or 429 or >= 500, FetchFailures.Http(code));
                }
                if (response.Content.Headers.ContentLength is { } declared && declared > limit)
                    return new(null, $"media is {declared} bytes; the limit for {mimeType ?? "this type"} is {limit}", Retryable: false, FetchFailures.TooLarge);
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                var stored = await _store.PutAsync(body, limit, timeout.Token);
                return stored.TooLarge
                    ? new(null, $"media exceeds the limit of {limit} bytes for {mimeType ?? "this type"}", Retryable: false, FetchFailures.TooLarge)
                    : new(stored, null, Retryable: false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Not worth an immediate retry: it has already cost the whole timeout, and a stalled origin rarely recovers in a second.
            return new(null, $"fetch timed out after {_options.Fetch.TimeoutSeconds} s", Retryable: false, FetchFailures.Timeout);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ForbiddenAddressException forbidden)
        {
            return new(null, forbidden.Message, Retryable: false, FetchFailures.Forbidden);
        }
        catch (HttpRequestException ex)
        {
            return Classify(ex);
        }
        catch (IOException ex)
        {
            // The body broke off mid-transfer (connection reset while streaming into the store).
            return new(null, $"fetch failed while reading the body: {ex.Message}", Retryable: true, FetchFailures.Connection);
        }
    }

    private static FetchResult Classify(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            // NXDOMAIN / no address: the name does not exist; trying again in a second will not change that.
            SocketError.HostNotFound or SocketError.NoData => new(null, $"media URL host does not resolve ({socket.Message})", Retryable: false, FetchFailures.Dns),
            SocketError.TryAgain => new(null, $"media URL host could not be resolved now ({socket.Message})", Retryable: true, FetchFailures.Dns),
            SocketError.ConnectionRefused => new(null, "the media host refused the connection", Retryable: true, FetchFailures.Refused),
            _ when ex.HttpRequestError == HttpRequestError.NameResolutionError => new(null, $"media URL host does not resolve ({ex.Message})", Retryable: false, FetchFailures.Dns),
            _ => new(null, $"fetch failed: {ex.Message}", Retryable: true, FetchFailures.Connection),
        };
    }

    public void Dispose() => _http.Dispose();
}
