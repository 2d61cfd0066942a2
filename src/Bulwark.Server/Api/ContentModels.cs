namespace Bulwark.Server.Api;

// Response shapes of the content API (ingestion contract v1).

public sealed record IngestResponse(string Id, int Version, string Status);

public sealed record BatchItemResult(int Index, string? Id, string Result, int? Version, string? Status, object? Problem);

/// <summary>Body of <c>POST /api/v1/content/{id}/deleted</c>: why the platform deleted it (at most 500 characters), optional.</summary>
public sealed record UpstreamDeletionNotice(string? Reason);

/// <summary><c>Recorded</c> is false when the deletion was already recorded (nothing changed).</summary>
public sealed record UpstreamDeletionResponse(string ContentId, bool Recorded);

public sealed record BatchResponse(int Accepted, int Existing, int Rejected, IReadOnlyList<BatchItemResult> Results);

public sealed record SignalView(string Type, string Source, string Explanation, string? Value, double? Score, int? Distance, string? Bank, long? BankEntryId, IReadOnlyList<string> Labels)
{
    /// <summary>
    /// Structured detail, when the signal has any: for a vPDQ match, <c>matchedBy</c>, the shares of frames and
    /// <c>segments</c> (the query's and the bank entry's matched time ranges in seconds, at most 32 a side, their full
    /// counts, <c>truncated</c>, and both videos' durations).
    /// </summary>
    public System.Text.Json.JsonElement? Details { get; init; }
}

public sealed record DecisionView(string Outcome, string? Queue, string Explanation, IReadOnlyList<string> Rules, bool Automated, DateTimeOffset DecidedAt)
{
    /// <summary>The decision's id: what <c>POST /api/v1/decisions/{id}/confirm</c>, appeals and statements of reasons take.</summary>
    public long Id { get; init; }
    public string? Policy { get; init; }
    public string? Priority { get; init; }
    /// <summary>The exception (news-documentary, education, research, counter-speech, artistic-expression) that stopped a restriction.</summary>
    public string? Exception { get; init; }
    /// <summary>Enforced actions: kind, targetType, targetId, policy, details.</summary>
    public System.Text.Json.JsonElement? Actions { get; init; }
    /// <summary>Rules that fired (enforce and shadow): rule, policy, mode, outcomes, exception, inputs.</summary>
    public System.Text.Json.JsonElement? Fired { get; init; }
    /// <summary>What shadow rules would have done; nothing was acted on.</summary>
    public System.Text.Json.JsonElement? Shadow { get; init; }
    public string? RuleSet { get; init; }
}

public sealed record VersionSummary(int Version, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? DecidedAt);

public sealed record ContentView(
    string Id, string Kind, string? AccountId, int Version, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? DecidedAt,
    string? Error, IReadOnlyList<SignalView> Signals, DecisionView? Decision, IReadOnlyList<VersionSummary> History);

public sealed record DeadLetterView(long WorkItemId, string ContentId, int Version, int Attempts, string? LastError, DateTimeOffset? DeadLetteredAt);

public sealed record DeadLetterPage(IReadOnlyList<DeadLetterView> Items, long? NextCursor);

public sealed record RetryRequest(List<long>? Ids);

public sealed record RetryResponse(int Retried);

public sealed record AccountResponse(string Id, bool Created, bool Changed);

public sealed record QueueView(long Depth, long DeadLettered);
