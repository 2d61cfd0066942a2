using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Ingest;

/// <summary>Bound from <c>Bulwark:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Bulwark:Ingest";

    /// <summary>Largest text field (UTF-8 bytes); the contract fixes 64 KiB.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxFieldBytes { get; set; } = 64 * 1024;

    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 1000;

    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxVideoBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Limit for media that is neither image nor video.</summary>
    [Range(1, long.MaxValue)]
    public long MaxOtherMediaBytes { get; set; } = 50L * 1024 * 1024;

    [Range(0, 1000)]
    public int MaxMediaPerEvent { get; set; } = 20;

    [Range(0, 10_000)]
    public int MaxListItems { get; set; } = 200;

    /// <summary>Where uploaded and fetched media are kept (content-addressed by SHA-256).</summary>
    public string MediaPath { get; set; } = "data/media";

    /// <summary>
    /// Where files uploaded to <c>/hash</c>, <c>/match</c> and bank entries are streamed while they are hashed (deleted
    /// afterwards, on every path); empty = the system's temporary folder. Give it room for the largest file (MaxVideoBytes).
    /// </summary>
    public string? UploadTempPath { get; set; }

    public MediaFetchOptions Fetch { get; set; } = new();

    public long MaxMediaBytes(string? mimeType) =>
        mimeType is null ? MaxOtherMediaBytes
        : mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? MaxImageBytes
        : mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? MaxVideoBytes
        : MaxOtherMediaBytes;
}

public sealed class MediaFetchOptions
{
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 3;

    /// <summary>
    /// Tries of one media URL within the pipeline stage (including the first), for failures that may pass in a moment
    /// (refused or reset connections, a resolver that is failing, HTTP 408/429/5xx). After the last, the item is decided
    /// from everything else with a <c>media.unavailable</c> signal; a media failure never holds back or dead-letters the text.
    /// Timeouts, unknown host names, 4xx, forbidden addresses and oversize files are not retried.
    /// </summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>Pause before the second try, doubled before each later one (1 s, 2 s: at most 3 s of waiting by default).</summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Hosts (names or IP literals) and CIDR ranges that may be fetched even though they are loopback, private or link-local.
    /// Empty by default: media URLs never reach internal addresses (server-side request forgery protection).
    /// </summary>
    public List<string> AllowedInternal { get; set; } = [];
}
