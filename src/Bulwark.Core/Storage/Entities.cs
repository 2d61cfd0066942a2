namespace Bulwark.Core.Storage;

// Persistence shapes. They are plain rows; behaviour lives in the stage services that own them.

/// <summary>A platform content item (video, comment, profile…); each distinct submission is a <see cref="ContentVersion"/>.</summary>
public sealed class ContentItem
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public string? AccountId { get; set; }
    public int LatestVersion { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class ContentStatus
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Decided = "decided";
    public const string Failed = "failed";
}

/// <summary>One submission of a content item; never changed after acceptance except for its processing outcome.</summary>
public sealed class ContentVersion
{
    public long Id { get; set; }
    public required string ContentId { get; set; }
    public int Version { get; set; }
    /// <summary>SHA-256 of the canonical event JSON: the idempotency key for "same id, identical content".</summary>
    public required string Fingerprint { get; set; }
    public required string EventJson { get; set; }
    public required string Status { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>A durable inbox entry: written in the same transaction as the acceptance, deleted in the same transaction as the decision.</summary>
public sealed class WorkItem
{
    public long Id { get; set; }
    public long ContentVersionId { get; set; }
    public int Attempts { get; set; }
    /// <summary>Unix milliseconds; kept numeric so the claim query compares the same way on every provider.</summary>
    public long AvailableAt { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
    public bool DeadLettered { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset EnqueuedAt { get; set; }
    public DateTimeOffset? DeadLetteredAt { get; set; }
    public ContentVersion? Version { get; set; }
}

public sealed class SignalRow
{
    public long Id { get; set; }
    public long ContentVersionId { get; set; }
    /// <summary>Signal kind, e.g. <c>hash.sha256</c> or <c>hash.md5</c>.</summary>
    public required string Type { get; set; }
    public required string Source { get; set; }
    public string? Value { get; set; }
    public double? Score { get; set; }
    public int? Distance { get; set; }
    public string? Bank { get; set; }
    public long? BankEntryId { get; set; }
    public string LabelsJson { get; set; } = "[]";
    public required string Explanation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Structured detail as a JSON object (a vPDQ match's segments: <c>KnownContent.MatchDetails</c>); null for most signals.</summary>
    public string? DetailsJson { get; set; }
}

public sealed class DecisionRow
{
    public long Id { get; set; }
    public long ContentVersionId { get; set; }
    public required string ContentId { get; set; }
    public required string Outcome { get; set; }
    public string? Queue { get; set; }
    public required string Explanation { get; set; }
    public string RulesJson { get; set; } = "[]";
    public bool Automated { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    /// <summary>The policy the decision enforces (e.g. <c>VE-GLORIFY</c>), when a rule fired.</summary>
    public string? Policy { get; set; }
    public string? Priority { get; set; }
    /// <summary>The enforced actions (<c>DecisionAction</c> list).</summary>
    public string ActionsJson { get; set; } = "[]";
    /// <summary>Every rule that fired, enforce or shadow, with its outcomes, exception and the inputs it read (<c>FiredRule</c> list).</summary>
    public string FiredJson { get; set; } = "[]";
    /// <summary>The exception that stopped a restriction (news-documentary, education, research, counter-speech, artistic-expression).</summary>
    public string? ExceptionApplied { get; set; }
    /// <summary>What shadow rules would have done (<c>ShadowOutcome</c> list); nothing was acted on.</summary>
    public string ShadowJson { get; set; } = "[]";
    /// <summary>SHA-256 of the rule set that decided.</summary>
    public string? RuleSet { get; set; }
    /// <summary>The person who made or confirmed the decision (null for a fully automated one); may not decide its appeal.</summary>
    public string? ReviewedBy { get; set; }
    /// <summary>When an appeal reversed the decision (its actions were undone by restore/reinstate actions); null while it stands.</summary>
    public DateTimeOffset? ReversedAt { get; set; }
}

public sealed class AccountRow
{
    public required string Id { get; set; }
    public string? Handle { get; set; }
    public string? DisplayName { get; set; }
    public string? Bio { get; set; }
    public string LinksJson { get; set; } = "[]";
    public string? Country { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ApiKeyRow
{
    /// <summary>The public part of the key (<c>bwk_{Id}_{secret}</c>), used to look the key up.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the secret part. Keys carry 192 random bits, so a fast hash is enough (no dictionary to guess from).</summary>
    public required string SecretHash { get; set; }
    public required string Scopes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class AuditEntryRow
{
    /// <summary>Position in the chain, assigned by the appender (1, 2, 3…); a gap means a deleted entry.</summary>
    public long Seq { get; set; }
    public DateTimeOffset Time { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Subject { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? Reason { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>A hash list ("bank") of known content.</summary>
public sealed class BankRow
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>A negative ("safe") bank: a match here suppresses matches from other banks (known false positives such as news footage).</summary>
    public bool Safe { get; set; }
    /// <summary>Largest PDQ Hamming distance that counts as a match (also the per-frame distance for vPDQ).</summary>
    public int PdqThreshold { get; set; } = 31;
    /// <summary>vPDQ: share of the query's frames that must match some entry frame, in percent.</summary>
    public double VpdqQueryMatchPercent { get; set; } = 80;
    /// <summary>vPDQ: share of the entry's frames that must be matched, in percent.</summary>
    public double VpdqReferenceMatchPercent { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class BankEntryRow
{
    public long Id { get; set; }
    public int BankId { get; set; }
    /// <summary>Signal type name, e.g. <c>sha256</c> or <c>md5</c>.</summary>
    public required string SignalType { get; set; }
    public required string Value { get; set; }
    public string LabelsJson { get; set; } = "[]";
    public string? AddedBy { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>The designated organisation or individual the content is attributed to (free text until the registry exists).</summary>
    public string? Entity { get; set; }
    /// <summary>Where the entry came from: <c>internal</c>, a partner list's name, <c>TCAP</c>…</summary>
    public string? Source { get; set; }
    /// <summary>PDQ quality of the hashed media, when known.</summary>
    public int? Quality { get; set; }
    /// <summary>The full signal when it is too long for <see cref="Value"/>: the vPDQ frame list (Value then holds its MD5).</summary>
    public string? Payload { get; set; }
    /// <summary>A vPDQ entry's region hashes (each frame's halves, <c>frame,quality,pdqhex,timestamp,region</c> lines), when it was hashed with them.</summary>
    public string? RegionPayload { get; set; }
    /// <summary>Changes whenever the entry is added, enabled or disabled; the index follows changes made by other processes with it.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
