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
    /// Hosts (names or IP literals) and CIDR ranges that may be fetched even though they are loopback, private or link-local.
    /// Empty by default: media URLs never reach internal addresses (server-side request forgery protection).
    /// </summary>
    public List<string> AllowedInternal { get; set; } = [];
}
