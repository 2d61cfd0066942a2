using System.Text.Json.Serialization;
using Bulwark.Core.Accounts;

namespace Bulwark.Core.Ingest;

// Ingestion contract v1. Fields are nullable so that validation, not the JSON reader, names what is missing.

/// <summary>One piece of platform content submitted for screening.</summary>
public sealed class ContentEvent
{
    /// <summary>The platform's id: at most 128 characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public string? Id { get; set; }
    /// <summary><c>video|image|text|comment|profile|livestream|link</c>.</summary>
    public string? Kind { get; set; }
    public AccountRef? Account { get; set; }
    public string? Text { get; set; }
    /// <summary>What is said in the video or livestream, when the platform transcribes it (same length limit as <see cref="Text"/>).</summary>
    public string? Transcript { get; set; }
    public List<string>? Hashtags { get; set; }
    public List<string>? Links { get; set; }
    public List<MediaRef>? Media { get; set; }
    /// <summary>BCP 47 language tag, e.g. <c>en</c> or <c>it-IT</c>.</summary>
    public string? Language { get; set; }
    /// <summary>ISO 3166-1 alpha-2 region code, e.g. <c>IT</c>.</summary>
    public string? Region { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public long? ViewCount { get; set; }
    /// <summary>For comments: the id of the content commented on.</summary>
    public string? ParentId { get; set; }
    public EventSource? Source { get; set; }
    /// <summary>
    /// Who may see the item on the platform: <c>public|followers|unlisted|private</c>. Absent means not public: the researcher API
    /// (docs/research-api.md) serves only items the platform marked <c>public</c>.
    /// </summary>
    public string? Visibility { get; set; }
}

public sealed class AccountRef
{
    public string? Id { get; set; }
    public string? Handle { get; set; }
    public string? DisplayName { get; set; }
    public string? Bio { get; set; }
    /// <summary>Identifiers the platform links to the account, already hashed with its own salt (see <see cref="LinkedIdentifierTypes"/>).</summary>
    public List<LinkedIdentifier>? LinkedIdentifiers { get; set; }
    /// <summary>Whether the platform knows the account holder is an adult. Absent means unknown, treated as not adult: the researcher API serves only adults' content.</summary>
    public bool? Adult { get; set; }
}

/// <summary>A media file: either fetched from <see cref="Url"/> or uploaded as a multipart part named by <see cref="Part"/>.</summary>
public sealed class MediaRef
{
    public string? Url { get; set; }
    /// <summary>File name of a <c>media</c> part of the same multipart request.</summary>
    public string? Part { get; set; }
    public string? MimeType { get; set; }
    /// <summary>Lowercase hex SHA-256 of the file. For uploads the server fills it in; for URLs a given value is checked after the fetch.</summary>
    public string? Sha256 { get; set; }
    /// <summary>Size in bytes, filled in by the server for uploads.</summary>
    public long? Size { get; set; }
}

public sealed class EventSource
{
    /// <summary><c>upload|user_report|trusted_flagger|partner_alert|authority_order</c>.</summary>
    public string? Type { get; set; }
    public string? Reference { get; set; }
    /// <summary>
    /// The notifying organisation's name, for <c>trusted_flagger</c> (and partner or authority) sources: it becomes the
    /// statement of reasons' <c>source_identity</c> for trusted flaggers. Never a private person's name (at most 200 characters).
    /// </summary>
    public string? Name { get; set; }
}

/// <summary>An account profile, upserted through <c>POST /api/v1/accounts</c>.</summary>
public sealed class AccountProfile
{
    public string? Id { get; set; }
    public string? Handle { get; set; }
    public string? DisplayName { get; set; }
    public string? Bio { get; set; }
    public List<string>? Links { get; set; }
    public string? Country { get; set; }
    /// <summary>Identifiers the platform links to the account, already hashed with its own salt (see <see cref="LinkedIdentifierTypes"/>).</summary>
    public List<LinkedIdentifier>? LinkedIdentifiers { get; set; }
}

public sealed class BatchRequest
{
    public List<System.Text.Json.JsonElement>? Events { get; set; }
}

/// <summary>Source-generated JSON for the ingestion contract: strict (unknown fields are errors), camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ContentEvent))]
[JsonSerializable(typeof(AccountProfile))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class IngestJson : JsonSerializerContext;
