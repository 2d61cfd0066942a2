using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Records.Anchoring;

/// <summary>
/// Bound from <c>Bulwark:Audit:Anchor</c>: signed checkpoints of the audit chain's head, written outside the database so a
/// rewritten chain can be told from the original (<c>bulwark audit verify --anchor</c>). Off unless a file or URL is set.
/// </summary>
public sealed class AuditAnchorOptions : IValidatableObject
{
    public const string Section = "Bulwark:Audit:Anchor";

    /// <summary>A checkpoint is written for every entry whose number is a multiple of this (entries 1000, 2000, …).</summary>
    [Range(1, 100_000_000)]
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>Append-only JSON-lines file the checkpoints are written to (put it on other storage than the database).</summary>
    public string? File { get; set; }

    /// <summary>An http(s) URL each checkpoint is POSTed to as JSON (a WORM store, a transparency log, another organisation).</summary>
    public string? Url { get; set; }

    /// <summary>
    /// Internal anchors that may be reached although they resolve to loopback or private addresses (host names, addresses or
    /// CIDR ranges, as <c>Bulwark:Webhooks:AllowedInternal</c>); every other private or special address is refused.
    /// </summary>
    public List<string> AllowedInternal { get; set; } = [];

    /// <summary>How often the writer looks for new entries.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 10;

    /// <summary>A POST that has not been answered within this many seconds has failed (it is retried at the next poll).</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(File) || !string.IsNullOrWhiteSpace(Url);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            yield return new ValidationResult($"Url '{url}' is not an absolute http(s) URL", [nameof(Url)]);
        if (File is { Length: > 0 } file && (file.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(file)))
            yield return new ValidationResult($"File '{file}' is not a usable file path (a folder, or invalid characters)", [nameof(File)]);
    }
}
